import type { PipelineDeps, RunPageFilters } from './ports';

export type RunFilters = RunPageFilters;

/** One page of runs across pipelines, newest first, filtered in the database. */
export async function listPipelineRuns(deps: PipelineDeps, f: RunFilters) {
  const { total, rows } = await deps.stores.runs.page(f);
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
