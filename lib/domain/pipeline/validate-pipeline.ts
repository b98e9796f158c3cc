import { referenceFields } from './dag';
import { countCombinations, MAX_MATRIX_COMBINATIONS } from './matrix';
import { paramSpecType, valueType, type TParam, type TParamSpec, type TParamValue } from './param-schemas';
import { checkParams, providedParams, type ProvidedParam } from './params';
import { resolvePipelineParams } from './pipeline-param-defaults';
import type { TPipelineSpec, TPipelineTask } from './pipeline-schemas';
import { checkTaskWorkspaces } from './propagation';
import { inferValueType, type ReferenceTypeContext } from './reference-types';
import type { TWorkspaceBinding } from './run-schemas';
import type { TTaskSpec } from './task-schemas';
import { validateGraph } from './validate-graph';
import { checkParamUsage } from './validate-param-usage';
import { checkContextReferences, checkPipelineTaskOnError } from './validate-references';
import type { ValidationError } from './validation-error';
import { findReferences } from './variables';

export interface ValidatePipelineOptions {
  /** Resolves `taskRef` names. Without it, referenced Tasks are not checked; when it returns undefined the Task is missing. */
  resolveTask?: (name: string) => TTaskSpec | undefined;
  /**
   * For a Task resolveTask did not find: the other project that holds one of that name, if any (a Pipeline
   * can only use Tasks of its own project, `project`), so the error names it.
   */
  taskElsewhere?: (name: string) => string | undefined;
  project?: string;
  /** The run's params; when given they are checked against the pipeline's declarations. */
  runParams?: readonly TParam[];
  /** The run's workspace bindings; when given, every required pipeline workspace must be bound. */
  runWorkspaces?: readonly TWorkspaceBinding[];
  /** Where the pipeline spec sits in its document: `spec` (Pipeline) or `spec.pipelineSpec` (PipelineRun). */
  specPath?: string;
  /** Where the run's spec sits, for run param and workspace paths. */
  runPath?: string;
  maxMatrixCombinations?: number;
}

/** Everything Tekton checks before a PipelineRun may start. An empty list means it may start. */
export function validatePipeline(spec: TPipelineSpec, options: ValidatePipelineOptions = {}): ValidationError[] {
  const specPath = options.specPath ?? 'spec';
  const runPath = options.runPath ?? 'spec';
  const errors: ValidationError[] = [];
  const specs = new Map<string, TTaskSpec | undefined>();
  const sections = [['tasks', spec.tasks] as const, ['finally', spec.finally ?? []] as const];

  for (const [section, tasks] of sections) {
    tasks.forEach((task, i) => {
      if (task.taskSpec) specs.set(task.name, task.taskSpec);
      // A name with a variable in it is known only when a run substitutes it (withTaskRefNamesResolved).
      else if (task.taskRef && options.resolveTask && !task.taskRef.name.includes('$(')) {
        const found = options.resolveTask(task.taskRef.name);
        specs.set(task.name, found);
        if (!found) {
          errors.push({
            reason: 'CouldntGetTask',
            task: task.name,
            path: `${specPath}.${section}[${i}].taskRef.name`,
            ...missingTask(task.name, task.taskRef.name, options),
          });
        }
      }
    });
  }

  errors.push(...validateGraph(spec, specPath, (t) => specs.get(t.name)));

  const pipelineParams = new Map((spec.params ?? []).map((p) => [p.name, p]));
  // PipelineRun params propagate into an inline pipelineSpec without being declared there.
  for (const p of options.runParams ?? [])
    if (!pipelineParams.has(p.name)) pipelineParams.set(p.name, { name: p.name, type: valueType(p.value) });
  const runValues = new Map((options.runParams ?? []).map((p) => [p.name, p.value]));
  if (options.runParams) {
    errors.push(
      ...checkParams(spec.params, providedParams(options.runParams, `${runPath}.params`), {
        path: `${runPath}.params`,
        provider: 'the PipelineRun',
      }),
    );
  }
  // A Pipeline alone: only defaults that would grow too long are refused (the others may use the run's params).
  const defaults = resolvePipelineParams(spec.params, Object.fromEntries(runValues)).problems;
  for (const { index, message, tooLong } of defaults.filter((p) => options.runParams || p.tooLong)) {
    errors.push({
      reason: 'PipelineValidationFailed',
      path: `${specPath}.params[${index}].default`,
      message,
      hint: tooLong
        ? 'Repeat a param fewer times in the defaults that use it, or give the long value as a param of the run.'
        : 'A default may use other params of the pipeline, declared or given by the run, without a cycle.',
    });
  }

  const types: ReferenceTypeContext = {
    pipelineParams,
    tasks: new Map(
      sections.flatMap(([, ts]) => ts.map((t) => [t.name, { task: t, spec: specs.get(t.name) }] as const)),
    ),
  };
  for (const [section, tasks] of sections) {
    tasks.forEach((task, i) => {
      const base = `${specPath}.${section}[${i}]`;
      errors.push(...undeclaredParamRefs(task, base, pipelineParams));
      errors.push(...checkContextReferences(task, base));
      errors.push(...checkParamUsage(task, base, pipelineParams));
      errors.push(...checkPipelineTaskOnError(task, base, pipelineParams, runValues));
      const taskSpec = specs.get(task.name);
      if (taskSpec) errors.push(...checkTaskParams(task, taskSpec, base, types));
      errors.push(
        ...checkMatrix(task, base, pipelineParams, runValues, options.maxMatrixCombinations ?? MAX_MATRIX_COMBINATIONS),
      );
      errors.push(...checkTaskWorkspaces(task, taskSpec, base, spec, options.runWorkspaces));
    });
  }

  if (options.runWorkspaces) {
    const bound = new Set(options.runWorkspaces.map((w) => w.name));
    for (const ws of spec.workspaces ?? []) {
      if (!ws.optional && !bound.has(ws.name)) {
        errors.push({
          reason: 'InvalidWorkspaceBindings',
          path: `${runPath}.workspaces`,
          message: `pipeline workspace "${ws.name}" is not bound by the PipelineRun`,
          hint: `Add {name: ${ws.name}, emptyDir: {}} (or another volume source) to ${runPath}.workspaces.`,
        });
      }
    }
  }
  return errors;
}

function undeclaredParamRefs(
  task: TPipelineTask,
  base: string,
  pipelineParams: Map<string, TParamSpec>,
): ValidationError[] {
  const errors: ValidationError[] = [];
  for (const { path, text } of referenceFields(task)) {
    for (const ref of findReferences(text)) {
      if (ref.segments[0] === 'params' && ref.segments[1] && !pipelineParams.has(ref.segments[1])) {
        errors.push({
          reason: 'PipelineValidationFailed',
          task: task.name,
          path: `${base}.${path}`,
          message: `task "${task.name}" uses ${ref.text}, but the pipeline declares no param "${ref.segments[1]}"`,
          hint: `Declare "${ref.segments[1]}" in the pipeline's params, or fix the name.`,
        });
      }
    }
  }
  return errors;
}

function checkTaskParams(
  task: TPipelineTask,
  taskSpec: TTaskSpec,
  base: string,
  types: ReferenceTypeContext,
): ValidationError[] {
  const { pipelineParams } = types;
  const provided = new Map<string, ProvidedParam>();
  task.params?.forEach((p, j) =>
    provided.set(p.name, {
      value: p.value,
      path: `${base}.params[${j}].value`,
      type: inferValueType(p.value, types),
    }),
  );
  task.matrix?.params?.forEach((p, j) =>
    provided.set(p.name, { value: '', path: `${base}.matrix.params[${j}]`, type: 'string' }),
  );
  task.matrix?.include?.forEach((inc, j) =>
    inc.params.forEach((p, k) =>
      provided.set(p.name, { value: p.value, path: `${base}.matrix.include[${j}].params[${k}].value`, type: 'string' }),
    ),
  );
  if (task.taskSpec) {
    // Propagated params: an inline taskSpec sees the pipeline's params without redeclaring them.
    for (const [name, spec] of pipelineParams) {
      if (!provided.has(name))
        provided.set(name, { value: `$(params.${name})`, path: `${base}.params`, type: paramSpecType(spec) });
    }
  }
  const errors = checkParams(taskSpec.params, provided, {
    task: task.name,
    path: `${base}.params`,
    provider: `pipeline task "${task.name}"`,
  });
  const matrixNames = new Set([...(task.matrix?.params ?? []).map((p) => p.name)]);
  task.params?.forEach((p, j) => {
    if (matrixNames.has(p.name)) {
      errors.push({
        reason: 'PipelineValidationFailed',
        task: task.name,
        path: `${base}.params[${j}]`,
        message: `param "${p.name}" of task "${task.name}" is set in both params and matrix`,
        hint: 'Pass the param either in params or in matrix, not both.',
      });
    }
  });
  return errors;
}

function checkMatrix(
  task: TPipelineTask,
  base: string,
  pipelineParams: Map<string, TParamSpec>,
  runValues: Map<string, TParamValue>,
  cap: number,
): ValidationError[] {
  if (!task.matrix) return [];
  const params = (task.matrix.params ?? []).map((p) => ({
    name: p.name,
    value: matrixValues(p.value, pipelineParams, runValues),
  }));
  const count = countCombinations({ params, include: task.matrix.include });
  if (count <= cap) return [];
  return [
    {
      reason: 'PipelineValidationFailed',
      task: task.name,
      path: `${base}.matrix`,
      message: `the matrix of task "${task.name}" creates ${count} combinations, over the cap of ${cap}`,
      hint: `Use fewer values or split the matrix across tasks so that each creates at most ${cap} TaskRuns.`,
    },
  ];
}

/** Values a matrix param fans over as far as they are known before the run; unknown ones count as one. */
function matrixValues(
  value: string | string[],
  pipelineParams: Map<string, TParamSpec>,
  runValues: Map<string, TParamValue>,
): string[] {
  if (Array.isArray(value)) return value;
  const [ref] = findReferences(value);
  if (ref?.segments[0] === 'params') {
    const known = runValues.get(ref.segments[1]) ?? pipelineParams.get(ref.segments[1])?.default;
    if (Array.isArray(known)) return known;
  }
  return [value];
}

function missingTask(
  task: string,
  ref: string,
  options: Pick<ValidatePipelineOptions, 'taskElsewhere' | 'project'>,
): { message: string; hint: string } {
  const owner = options.taskElsewhere?.(ref);
  if (owner === undefined)
    return {
      message: `task "${task}" refers to Task "${ref}", which does not exist`,
      hint: `Apply a Task named "${ref}" first, or fix the name.`,
    };
  return {
    // The owner is not named: the author may not be allowed to see that project's Tasks.
    message: `task "${task}" refers to Task "${ref}", which does not exist in project "${options.project}" (a Task of that name belongs to another project)`,
    hint: `A Pipeline can only use Tasks of its own project: apply the Task with metadata.namespace: ${options.project}, or fix the name.`,
  };
}
