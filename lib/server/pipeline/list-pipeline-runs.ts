import type { Principal } from '../principal';
import type { AuthorizedPipelineDeps } from './pipeline-access';
import type { RunPageFilters } from './ports';
import { filterGettable } from './run-tree-object';

export type RunFilters = RunPageFilters;

/**
 * One page of the runs the principal may get, newest first: the filters apply in the database, the policy to
 * the matching runs (a child run as its root, run-tree-object.ts), and the page and total to what is left (filter
 * before paging).
 */
export async function listPipelineRuns(deps: AuthorizedPipelineDeps, principal: Principal, f: RunFilters) {
  const keys = await deps.stores.runs.keys({ pipeline: f.pipeline, status: f.status });
  const permitted = await filterGettable(deps, principal, keys, (k) => ({ ...k, owner: k.parentRunId }));
  const start = (f.page - 1) * f.limit;
  const rows = await deps.stores.runs.listRows(permitted.slice(start, start + f.limit).map((k) => k.name));
  return {
    total: permitted.length,
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
