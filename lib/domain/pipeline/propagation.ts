import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import type { TWorkspaceBinding } from './run-schemas';
import type { TStepTemplate, TTaskSpec } from './task-schemas';
import type { ValidationError } from './validation-error';
import { findReferences, stringsIn } from './variables';

/**
 * Propagated workspaces, as Tekton decides them (pipelinerun.go propagateWorkspaces, workspace.FindWorkspacesUsedByTask):
 * an embedded taskSpec gets, by name, every run workspace it refers to as `$(workspaces.<name>.…)` in the fields
 * below and that its pipeline task does not bind itself. A referenced Task gets none.
 */
function workspaceFieldsOf(spec: TTaskSpec): string[] {
  const container = (c: TStepTemplate) => [
    ...(c.command ?? []),
    ...(c.args ?? []),
    c.workingDir ?? '',
    ...(c.env ?? []).map((e) => e.value ?? ''),
  ];
  return [
    ...spec.steps.flatMap((step) => [
      step.script ?? '',
      ...container(step),
      ...(step.params ?? []).flatMap((p) => stringsIn(p.value)),
    ]),
    ...(spec.stepTemplate ? container(spec.stepTemplate) : []),
  ];
}

/** The workspace names a Task spec's steps and stepTemplate refer to through `$(workspaces.<name>.…)`. */
export function workspacesUsedBy(spec: TTaskSpec): string[] {
  const names = new Set<string>();
  for (const text of workspaceFieldsOf(spec))
    for (const ref of findReferences(text))
      if (ref.segments[0] === 'workspaces' && ref.segments[1]) names.add(ref.segments[1]);
  return [...names];
}

/** The workspaces an embedded taskSpec gets from the run without its pipeline task binding them. */
export function propagatedWorkspaces(task: Pick<TPipelineTask, 'taskSpec' | 'workspaces'>): string[] {
  if (!task.taskSpec) return [];
  const bound = new Set((task.workspaces ?? []).map((w) => w.name));
  return workspacesUsedBy(task.taskSpec).filter((name) => !bound.has(name));
}

/**
 * Each propagated workspace must be bound by the PipelineRun, unless the taskSpec declares it optional; Tekton
 * fails the run with "expected workspace … to be provided by pipelinerun" (here: refused before it starts).
 */
export function unboundPropagatedWorkspaces(
  task: TPipelineTask,
  base: string,
  runWorkspaces: readonly Pick<TWorkspaceBinding, 'name'>[],
): ValidationError[] {
  const bound = new Set(runWorkspaces.map((w) => w.name));
  const optional = new Set((task.taskSpec?.workspaces ?? []).filter((w) => w.optional).map((w) => w.name));
  return propagatedWorkspaces(task)
    .filter((name) => !bound.has(name) && !optional.has(name))
    .map((name) => ({
      reason: 'InvalidWorkspaceBindings' as const,
      task: task.name,
      path: `${base}.taskSpec`,
      message: `expected workspace "${name}" to be provided by pipelinerun for pipeline task "${task.name}" (its taskSpec uses $(workspaces.${name}.…))`,
      hint: `Bind "${name}" in the PipelineRun's workspaces, or bind it in the pipeline task's workspaces.`,
    }));
}

/**
 * A pipeline task's workspace bindings against the pipeline's workspaces (and, for a run, the run's bindings,
 * which an embedded pipelineSpec need not declare) and against its Task's declarations.
 */
export function checkTaskWorkspaces(
  task: TPipelineTask,
  taskSpec: TTaskSpec | undefined,
  base: string,
  spec: Pick<TPipelineSpec, 'workspaces'>,
  runWorkspaces?: readonly Pick<TWorkspaceBinding, 'name'>[],
): ValidationError[] {
  const errors: ValidationError[] = [];
  const available = new Set([...(spec.workspaces ?? []), ...(runWorkspaces ?? [])].map((w) => w.name));
  task.workspaces?.forEach((w, j) => {
    const target = w.workspace ?? w.name;
    if (!available.has(target)) {
      errors.push({
        reason: 'InvalidWorkspaceBindings',
        task: task.name,
        path: `${base}.workspaces[${j}].workspace`,
        message: `task "${task.name}" binds workspace "${w.name}" to "${target}", which the pipeline does not declare`,
        hint: `Declare "${target}" in the pipeline's workspaces, or bind to one it declares.`,
      });
    }
  });
  const declared = new Set((taskSpec?.workspaces ?? []).map((w) => w.name));
  if (!task.taskSpec && taskSpec) {
    // A referenced Task gets no propagated workspaces, and binds only what it declares (workspace.ValidateBindings).
    task.workspaces?.forEach((w, j) => {
      if (!declared.has(w.name))
        errors.push({
          reason: 'InvalidWorkspaceBindings',
          task: task.name,
          path: `${base}.workspaces[${j}].name`,
          message: `workspace binding "${w.name}" does not match any declared workspace of Task "${task.taskRef?.name}"`,
          hint: `Bind only the workspaces the Task declares (${[...declared].join(', ') || 'none'}), or declare "${w.name}" in the Task.`,
        });
    });
  }
  const bound = new Set((task.workspaces ?? []).map((w) => w.name));
  const propagated = new Set(propagatedWorkspaces(task));
  taskSpec?.workspaces?.forEach((w) => {
    // Embedded specs get the workspaces they use by propagation, and (beyond Tekton) the pipeline's of their name.
    const fromRun = Boolean(task.taskSpec) && (available.has(w.name) || propagated.has(w.name));
    if (!w.optional && !bound.has(w.name) && !fromRun) {
      errors.push({
        reason: 'InvalidWorkspaceBindings',
        task: task.name,
        path: `${base}.workspaces`,
        message: `task "${task.name}" needs workspace "${w.name}", but the pipeline task does not bind it`,
        hint: `Add {name: ${w.name}, workspace: <pipeline workspace>} to the pipeline task's workspaces.`,
      });
    }
  });
  if (runWorkspaces) errors.push(...unboundPropagatedWorkspaces(task, base, runWorkspaces));
  return errors;
}

/** Tekton's TaskRunValidationFailed for a binding a referenced Task does not declare. */
export function undeclaredBinding(task: string, name: string): ValidationError {
  return {
    reason: 'TaskRunValidationFailed',
    task,
    path: 'spec.workspaces',
    message: `workspace binding "${name}" does not match any declared workspace`,
    hint: `Declare "${name}" in the Task's workspaces (only embedded taskSpecs get undeclared workspaces), or drop the binding.`,
  };
}
