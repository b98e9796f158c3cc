import type { TPipelineSummary } from '@/lib/schemas/pipelines';
import type { PipelineDeps } from './ports';

const iso = (v: Date | null) => v?.toISOString() ?? null;

/** Each pipeline's newest version with its last run, newest activity first. */
export async function listPipelines(deps: PipelineDeps): Promise<TPipelineSummary[]> {
  const rows = await deps.stores.definitions.pipelineSummaries();
  return rows.map((r) => {
    const run = r.lastRun;
    const started = iso(run?.startedAt ?? null);
    const completed = iso(run?.completedAt ?? null);
    return {
      name: r.name,
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
