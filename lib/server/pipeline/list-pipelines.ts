import type { TPipelineSummary } from '@/lib/schemas/pipelines';
import type { Principal } from '../principal';
import { objectOf, type AuthorizedPipelineDeps } from './pipeline-access';

const iso = (v: Date | null) => v?.toISOString() ?? null;

/** Each pipeline the principal may get: its newest version with its last run, newest activity first. */
export async function listPipelines(deps: AuthorizedPipelineDeps, principal: Principal): Promise<TPipelineSummary[]> {
  const all = await deps.stores.definitions.pipelineSummaries();
  const rows = await deps.access.filter(principal, 'pipelines', 'get', all, (r) => objectOf(r.project, r.name));
  return rows.map((r) => {
    const run = r.lastRun;
    const started = iso(run?.startedAt ?? null);
    const completed = iso(run?.completedAt ?? null);
    return {
      name: r.name,
      project: r.project,
      version: r.version,
      updatedAt: r.createdAt.toISOString(),
      tasks: r.tasks,
      lastRun: run
        ? {
            name: run.name,
            status: run.conditionStatus ?? 'Unknown',
            reason: run.conditionReason ?? '',
            startedAt: started,
            completedAt: completed,
            durationMs: started && completed ? Date.parse(completed) - Date.parse(started) : null,
          }
        : null,
    };
  });
}
