/**
 * Tekton's `$(context.…)` variables, as one table: the name, where it is substituted and how its value
 * is derived. The pipeline scope (run-facts, plan-task-start) and the task scope (resolve-task-run) both
 * build their context entries from it, so a variable is added or changed in one place.
 */

/** What is known where a context variable is substituted; a part that is absent leaves its variables as they are. */
export interface ContextFacts {
  pipelineRun?: { name: string; namespace: string; uid: string };
  /** The stored Pipeline's name; for an inline pipelineSpec, the PipelineRun's (as Tekton takes the run's metadata). */
  pipeline?: { name: string };
  pipelineTask?: { retries: number };
  taskRun?: { name: string; namespace: string; uid: string };
  /** The Task's name: the taskRef's; for an inline taskSpec, the TaskRun's (as Tekton takes the run's metadata). */
  task?: { name: string; retryCount: number };
}

/**
 * Where a variable is substituted:
 * - `pipeline`: pipeline task fields (params, matrix, when, workspaces subPath) and the Task specs a PipelineRun runs;
 * - `pipelineTask`: the pipeline task's own fields (params, matrix), as Tekton's ApplyPipelineTaskContexts;
 * - `task`: a Task's steps (script, command, args, env, image, workingDir, onError…), standalone or in a pipeline.
 */
export type ContextPlace = 'pipeline' | 'pipelineTask' | 'task';

export interface ContextVariable {
  name: `context.${string}`;
  place: ContextPlace;
  /** How the value is derived, for the README's table. */
  derivation: string;
  value(facts: ContextFacts): string | undefined;
}

const variable = (
  name: ContextVariable['name'],
  place: ContextPlace,
  derivation: string,
  value: ContextVariable['value'],
): ContextVariable => ({ name, place, derivation, value });

export const CONTEXT_VARIABLES: readonly ContextVariable[] = [
  variable('context.pipelineRun.name', 'pipeline', "the PipelineRun's metadata.name", (f) => f.pipelineRun?.name),
  variable(
    'context.pipelineRun.namespace',
    'pipeline',
    "the PipelineRun's project (its metadata.namespace)",
    (f) => f.pipelineRun?.namespace,
  ),
  variable('context.pipelineRun.uid', 'pipeline', "the PipelineRun's id", (f) => f.pipelineRun?.uid),
  variable(
    'context.pipeline.name',
    'pipeline',
    "the referenced Pipeline's name; the PipelineRun's name for an inline pipelineSpec",
    (f) => f.pipeline?.name,
  ),
  variable('context.pipelineTask.retries', 'pipelineTask', "the pipeline task's `retries` (0 when unset)", (f) =>
    f.pipelineTask ? String(f.pipelineTask.retries) : undefined,
  ),
  variable(
    'context.taskRun.name',
    'task',
    "the TaskRun's name (`<pipelinerun>-<task>[-<matrix index>]` in a PipelineRun)",
    (f) => f.taskRun?.name,
  ),
  variable(
    'context.taskRun.namespace',
    'task',
    "the TaskRun's project (its metadata.namespace; the PipelineRun's for a child)",
    (f) => f.taskRun?.namespace,
  ),
  variable('context.taskRun.uid', 'task', "the TaskRun's id", (f) => f.taskRun?.uid),
  variable(
    'context.task.name',
    'task',
    "the referenced Task's name; the TaskRun's name for an inline taskSpec",
    (f) => f.task?.name,
  ),
  variable(
    'context.task.retry-count',
    'task',
    'the attempt number: 0 for the first run, 1 for the first retry, …',
    (f) => (f.task ? String(f.task.retryCount) : undefined),
  ),
];

/** `context.…` → value for every variable the facts give a value to. */
export function contextScope(facts: ContextFacts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const variable of CONTEXT_VARIABLES) {
    const value = variable.value(facts);
    if (value !== undefined) out[variable.name] = value;
  }
  return out;
}

/** The names a place knows, e.g. for messages about an unknown `$(context.…)`. */
export function contextVariableNames(place: ContextPlace): string[] {
  return CONTEXT_VARIABLES.filter((v) => v.place === place).map((v) => v.name);
}

/** What a TaskRun knows of itself (resolve-task-run's TaskRunContext). */
export interface TaskRunFacts {
  taskRunName: string;
  namespace: string;
  taskRunUid: string;
  /** The Task's name for messages: the taskRef name, or the pipeline task's name for inline specs. */
  taskName: string;
  retryCount: number;
  /** Set when the Task is an inline taskSpec: `context.task.name` is then the TaskRun's name, as in Tekton. */
  inlineSpec?: boolean;
  pipelineRunName?: string;
  pipelineRunUid?: string;
  pipelineName?: string;
}

/** The facts for a TaskRun, standalone or a PipelineRun's child (which also sees the pipeline's variables). */
export function taskContextFacts(context: TaskRunFacts): ContextFacts {
  const { taskRunName: name, namespace, pipelineRunName } = context;
  const facts: ContextFacts = {
    taskRun: { name, namespace, uid: context.taskRunUid },
    task: { name: context.inlineSpec ? name : context.taskName, retryCount: context.retryCount },
  };
  if (pipelineRunName) {
    facts.pipelineRun = { name: pipelineRunName, namespace, uid: context.pipelineRunUid ?? '' };
    facts.pipeline = { name: context.pipelineName ?? pipelineRunName };
  }
  return facts;
}
