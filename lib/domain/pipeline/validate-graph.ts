import { buildDag, findCycle, referenceFields, taskResultReferences } from './dag';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import type { TTaskSpec } from './task-schemas';
import type { ValidationError } from './validation-error';
import { findReferences, resultReferences, stringsIn } from './variables';

export type TaskSpecOf = (task: TPipelineTask) => TTaskSpec | undefined;

/**
 * The graph rules: runAfter names existing tasks, no cycles, result references name existing
 * tasks and declared results, status references only in finally, and nothing reads finally tasks
 * except pipeline results.
 */
export function validateGraph(spec: TPipelineSpec, specPath: string, taskSpecOf: TaskSpecOf): ValidationError[] {
  const errors: ValidationError[] = [];
  const dagNames = new Set(spec.tasks.map((t) => t.name));
  const finallyNames = new Set((spec.finally ?? []).map((t) => t.name));
  const byName = new Map([...spec.tasks, ...(spec.finally ?? [])].map((t) => [t.name, t]));

  const checkResultRef = (
    ref: { task: string; result: string; text: string },
    path: string,
    owner: string | undefined,
    allowFinally: boolean,
  ) => {
    const who = owner ? `task "${owner}"` : 'the pipeline results';
    if (!byName.has(ref.task)) {
      errors.push({
        reason: 'InvalidTaskResultReference',
        task: owner,
        path,
        message: `${who} uses ${ref.text}, but there is no task "${ref.task}"`,
        hint: 'Reference a task defined in this pipeline, or fix the spelling.',
      });
      return;
    }
    if (finallyNames.has(ref.task) && !allowFinally) {
      errors.push({
        reason: 'InvalidTaskResultReference',
        task: owner,
        path,
        message: `${who} uses ${ref.text}, but "${ref.task}" is a finally task and only pipeline results may read its results`,
        hint: 'Finally tasks run last and in parallel, so read the value from a task in spec.tasks instead.',
      });
      return;
    }
    const target = byName.get(ref.task);
    const targetSpec = target ? taskSpecOf(target) : undefined;
    if (targetSpec && !(targetSpec.results ?? []).some((r) => r.name === ref.result)) {
      const declared = (targetSpec.results ?? []).map((r) => r.name);
      errors.push({
        reason: 'InvalidTaskResultReference',
        task: owner,
        path,
        message: `${who} uses ${ref.text}, but task "${ref.task}" declares no result "${ref.result}"${declared.length ? ` (it declares ${declared.join(', ')})` : ''}`,
        hint: `Declare result "${ref.result}" in the results of task "${ref.task}", or use one it declares.`,
      });
    }
  };

  spec.tasks.forEach((task, i) => {
    const base = `${specPath}.tasks[${i}]`;
    task.runAfter?.forEach((dep, j) => {
      if (dagNames.has(dep)) return;
      const message = finallyNames.has(dep)
        ? `task "${task.name}" runs after "${dep}", which is a finally task`
        : `task "${task.name}" runs after "${dep}", which is not a task in this pipeline`;
      errors.push({
        reason: 'PipelineInvalidGraph',
        task: task.name,
        path: `${base}.runAfter[${j}]`,
        message,
        hint: 'Name a task from spec.tasks in runAfter, or remove the entry.',
      });
    });
    for (const ref of taskResultReferences(task)) checkResultRef(ref, `${base}.${ref.path}`, task.name, false);
    for (const { path, text } of referenceFields(task)) {
      for (const ref of findReferences(text)) {
        const [root, second, third] = ref.segments;
        const isStatus =
          root === 'tasks' &&
          (second === 'status' || third === 'status' || third === 'reason') &&
          ref.segments.length <= 3;
        if (isStatus) {
          errors.push({
            reason: 'PipelineValidationFailed',
            task: task.name,
            path: `${base}.${path}`,
            message: `task "${task.name}" uses ${ref.text}, which only finally tasks can read`,
            hint: 'Move this task into finally, or drop the status reference.',
          });
        }
      }
    }
  });

  const cycle = findCycle(buildDag(spec.tasks));
  if (cycle) {
    errors.push({
      reason: 'PipelineInvalidGraph',
      task: cycle[0],
      path: `${specPath}.tasks`,
      message: `the tasks form a cycle: ${cycle.join(' → ')}`,
      hint: 'Remove one of the runAfter entries or result references in the cycle.',
    });
  }

  spec.finally?.forEach((task, i) => {
    const base = `${specPath}.finally[${i}]`;
    if (task.runAfter?.length) {
      errors.push({
        reason: 'PipelineValidationFailed',
        task: task.name,
        path: `${base}.runAfter`,
        message: `finally task "${task.name}" has runAfter; finally tasks run after all tasks and in parallel`,
        hint: 'Remove runAfter from the finally task.',
      });
    }
    for (const ref of taskResultReferences(task)) checkResultRef(ref, `${base}.${ref.path}`, task.name, false);
    for (const { path, text } of referenceFields(task)) {
      for (const ref of findReferences(text)) {
        const [root, name, kind] = ref.segments;
        if (
          root === 'tasks' &&
          ref.segments.length === 3 &&
          (kind === 'status' || kind === 'reason') &&
          !dagNames.has(name)
        ) {
          errors.push({
            reason: 'PipelineValidationFailed',
            task: task.name,
            path: `${base}.${path}`,
            message: `finally task "${task.name}" uses ${ref.text}, but "${name}" is not a task in spec.tasks`,
            hint: 'Read the status of a task in spec.tasks, or $(tasks.status) for all of them.',
          });
        }
      }
    }
  });

  spec.results?.forEach((result, i) => {
    for (const ref of resultReferences(stringsIn(result.value)))
      checkResultRef(ref, `${specPath}.results[${i}].value`, undefined, true);
  });
  return errors;
}
