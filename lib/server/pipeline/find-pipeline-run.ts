import type { Principal } from '../principal';
import { foundOrNotFound } from './found-or-not-found';
import { notFoundFor, type AuthorizedPipelineDeps } from './pipeline-access';
import type { PipelineDeps, PipelineRunRow } from './ports';
import { treeObject } from './run-tree-object';

const missing = (name: string) => `No PipelineRun named "${name}".`;
const LIST_RUNS = 'List runs with `keelson pipelinerun list`.';

/** The stored PipelineRun of that name, or NOT_FOUND (internal: callers a person reaches use findAuthorizedRun). */
export async function findPipelineRun(deps: PipelineDeps, name: string): Promise<PipelineRunRow> {
  return foundOrNotFound(await deps.stores.runs.findByName(name), missing(name), LIST_RUNS);
}

/**
 * The PipelineRun of that name if the principal may do `action` (pipelineruns) on it (a child PipelineRun: on its
 * root run, run-tree-object.ts); 403 naming the object otherwise, and for a missing one unless the caller could
 * have seen it (notFoundFor).
 */
export async function findAuthorizedRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  action: 'get' | 'cancel' | 'delete' | 'create',
): Promise<PipelineRunRow> {
  const row = await deps.stores.runs.findByName(name);
  if (!row) throw await notFoundFor(deps.access, principal, 'pipelineruns', name, missing(name), LIST_RUNS);
  const object = await treeObject(deps.stores.runs, { ...row, owner: row.parentRunId });
  await deps.access.authorize(principal, 'pipelineruns', action, object);
  return row;
}
