import { isTaskRunFinished as hasTaskRunEnded } from '@/lib/domain/pipeline/task-run-states';
import type { Principal } from '../principal';
import { foundOrNotFound } from './found-or-not-found';
import { notFoundFor, type AuthorizedPipelineDeps } from './pipeline-access';
import type { PipelineDeps, TaskRunRow } from './ports';
import { treeObject } from './run-tree-object';

/** The stored TaskRun of that name, or NOT_FOUND (internal: callers a person reaches use findAuthorizedTaskRun). */
export async function findTaskRun(deps: PipelineDeps, name: string): Promise<TaskRunRow> {
  return foundOrNotFound(await deps.stores.taskRuns.findByName(name), missing(name), LIST_TASK_RUNS);
}

const missing = (name: string) => `No TaskRun named "${name}".`;
const LIST_TASK_RUNS = 'List TaskRuns with GET /api/v1/taskruns.';

/**
 * The TaskRun of that name if the principal may get it (TaskRuns are `pipelineruns`; object `<project>/<taskrun>`
 * for a standalone one, its root PipelineRun's `<project>/<root>` for a pipeline task's: run-tree-object.ts), and with `logs` also read its log (`logs, get` as well, as Argo CD asks for pod logs).
 */
export async function findAuthorizedTaskRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  options: { logs?: boolean } = {},
): Promise<TaskRunRow> {
  const row = await deps.stores.taskRuns.findByName(name);
  if (!row) throw await notFoundFor(deps.access, principal, 'pipelineruns', name, missing(name), LIST_TASK_RUNS);
  const object = await treeObject(deps.stores.runs, { ...row, owner: row.pipelineRunId });
  await deps.access.authorize(principal, 'pipelineruns', 'get', object);
  if (options.logs) await deps.access.authorize(principal, 'logs', 'get', object);
  return row;
}

export const isTaskRunFinished = (row: Pick<TaskRunRow, 'state'>) => hasTaskRunEnded(row.state);
