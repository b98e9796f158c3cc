import type { TPipelineSpec } from './pipeline-schemas';
import type { TPipelineRun, TTaskRun } from './spec-schemas';
import type { TTaskSpec } from './task-schemas';
import { checkParams, providedParams } from './params';
import { validatePipeline } from './validate-pipeline';
import type { ValidationError, ValidationReason } from './validation-error';

export interface RunLookups {
  pipeline?: (name: string) => TPipelineSpec | undefined;
  task?: (name: string) => TTaskSpec | undefined;
}

/** The run names a Pipeline or Task that does not exist. */
function missingDefinition(
  reason: ValidationReason,
  kind: 'Pipeline' | 'Task',
  ref: string | undefined,
): ValidationError[] {
  return [
    {
      reason,
      path: `spec.${kind === 'Pipeline' ? 'pipelineRef' : 'taskRef'}.name`,
      message: `${kind} "${ref}" does not exist`,
      hint: `Apply a ${kind} named "${ref}" first, or fix the name.`,
    },
  ];
}

/** Everything that must hold before a PipelineRun document may start, with paths into that document. */
export function validatePipelineRun(run: TPipelineRun, lookups: RunLookups): ValidationError[] {
  const ref = run.spec.pipelineRef?.name;
  const spec = run.spec.pipelineSpec ?? (ref ? lookups.pipeline?.(ref) : undefined);
  if (!spec) return missingDefinition('PipelineValidationFailed', 'Pipeline', ref);
  return validatePipeline(spec, {
    resolveTask: lookups.task,
    runParams: run.spec.params ?? [],
    runWorkspaces: run.spec.workspaces ?? [],
    specPath: run.spec.pipelineSpec ? 'spec.pipelineSpec' : `pipeline/${ref}.spec`,
    runPath: 'spec',
  });
}

/** The same for a TaskRun: the Task exists, params fit, required workspaces are bound. */
export function validateTaskRun(run: TTaskRun, lookups: RunLookups): ValidationError[] {
  const ref = run.spec.taskRef?.name;
  const spec = run.spec.taskSpec ?? (ref ? lookups.task?.(ref) : undefined);
  if (!spec) return missingDefinition('CouldntGetTask', 'Task', ref);
  const errors = checkParams(spec.params, providedParams(run.spec.params, 'spec.params'), {
    path: 'spec.params',
    provider: 'the TaskRun',
  });
  const bound = new Set((run.spec.workspaces ?? []).map((w) => w.name));
  for (const ws of spec.workspaces ?? []) {
    if (!ws.optional && !bound.has(ws.name)) {
      errors.push({
        reason: 'InvalidWorkspaceBindings',
        path: 'spec.workspaces',
        message: `workspace "${ws.name}" of the Task is not bound by the TaskRun`,
        hint: `Add {name: ${ws.name}, emptyDir: {}} (or another volume source) to spec.workspaces.`,
      });
    }
  }
  return errors;
}
