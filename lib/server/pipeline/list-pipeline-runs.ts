import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { pipelineRuns } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';

export interface RunFilters {
  pipeline?: string;
  /** Running, Succeeded, Failed, Cancelled… matched against the condition's status or reason. */
  status?: string;
  page: number;
  limit: number;
}

function statusFilter(status: string): SQL | undefined {
  if (status === 'Running') return eq(pipelineRuns.conditionStatus, 'Unknown');
  if (status === 'Succeeded') return eq(pipelineRuns.conditionStatus, 'True');
  if (status === 'Failed')
    return and(
      eq(pipelineRuns.conditionStatus, 'False'),
      inArray(pipelineRuns.conditionReason, ['Failed', 'PipelineRunTimeout', 'TaskRunTimeout']),
    );
  if (status === 'Cancelled')
    return and(
      eq(pipelineRuns.conditionStatus, 'False'),
      inArray(pipelineRuns.conditionReason, [
        'Cancelled',
        'CancelledRunFinally',
        'StoppedRunFinally',
        'CancelledRunningFinally',
        'StoppedRunningFinally',
      ]),
    );
  return eq(pipelineRuns.conditionReason, status);
}

/** One page of runs across pipelines, newest first, filtered in the database. */
export async function listPipelineRuns(deps: Deps, f: RunFilters) {
  const where = and(
    f.pipeline ? eq(pipelineRuns.pipelineName, f.pipeline) : undefined,
    f.status ? statusFilter(f.status) : undefined,
  );
  const [{ total }] = await deps.db.select({ total: count() }).from(pipelineRuns).where(where);
  const rows = await deps.db
    .select({
      name: pipelineRuns.name,
      pipeline: pipelineRuns.pipelineName,
      status: pipelineRuns.conditionStatus,
      reason: pipelineRuns.conditionReason,
      createdAt: pipelineRuns.createdAt,
      startedAt: pipelineRuns.startedAt,
      completedAt: pipelineRuns.completedAt,
    })
    .from(pipelineRuns)
    .where(where)
    .orderBy(desc(pipelineRuns.createdAt))
    .limit(f.limit)
    .offset((f.page - 1) * f.limit);
  return {
    total,
    page: f.page,
    limit: f.limit,
    items: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      startedAt: r.startedAt?.toISOString() ?? null,
      completedAt: r.completedAt?.toISOString() ?? null,
      durationMs: r.startedAt ? (r.completedAt ?? new Date()).getTime() - r.startedAt.getTime() : null,
    })),
  };
}
