import type { Principal } from '../principal';
import { foundOrNotFound } from './found-or-not-found';
import { objectOf, type AuthorizedPipelineDeps } from './pipeline-access';
import type { PipelineDeps, PipelineRunRow } from './ports';

/** The stored PipelineRun of that name, or NOT_FOUND (internal: callers a person reaches use findAuthorizedRun). */
export async function findPipelineRun(deps: PipelineDeps, name: string): Promise<PipelineRunRow> {
  return foundOrNotFound(
    await deps.stores.runs.findByName(name),
    `No PipelineRun named "${name}".`,
    'List runs with `keelson pipelinerun list`.',
  );
}

/** The PipelineRun of that name if the principal may do `action` (pipelineruns) on it; 403 naming it otherwise. */
export async function findAuthorizedRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  action: 'get' | 'cancel' | 'delete' | 'create',
): Promise<PipelineRunRow> {
  const row = await findPipelineRun(deps, name);
  await deps.access.authorize(principal, 'pipelineruns', action, objectOf(row.project, row.name));
  return row;
}
