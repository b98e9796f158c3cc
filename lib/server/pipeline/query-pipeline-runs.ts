import { and, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { pipelineRuns, taskRuns } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import type { Deps } from '../deps';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';

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

export async function findPipelineRun(deps: Deps, name: string) {
  const [row] = await deps.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, name));
  if (!row)
    throw new AppError('NOT_FOUND', `No PipelineRun named "${name}".`, {
      hint: 'List runs with `keelson pipelinerun list`.',
    });
  return row;
}

/** A PipelineRun in Tekton's shape, with its TaskRuns (also Tekton-shaped) for the run page. */
export async function getPipelineRun(deps: Deps, name: string) {
  const row = await findPipelineRun(deps, name);
  const children = await deps.db
    .select()
    .from(taskRuns)
    .where(eq(taskRuns.pipelineRunId, row.id))
    .orderBy(taskRuns.createdAt);
  return { ...pipelineRunResource(row), taskRuns: children.map((c) => taskRunResource(c, row.name)) };
}

export async function listTaskRuns(deps: Deps, f: { pipelineRun?: string; limit: number }) {
  const run = f.pipelineRun ? await findPipelineRun(deps, f.pipelineRun) : undefined;
  const rows = await deps.db
    .select()
    .from(taskRuns)
    .where(run ? eq(taskRuns.pipelineRunId, run.id) : undefined)
    .orderBy(desc(taskRuns.createdAt))
    .limit(f.limit);
  return { items: rows.map((r) => taskRunResource(r, run?.name)) };
}
