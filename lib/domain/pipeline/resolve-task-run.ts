import { contextScope, taskContextFacts, type TaskRunFacts } from './context-variables';
import { stepContainerSettings } from './container-settings';
import { podPlan, type TaskRunPodSettings } from './pod-settings';
import { parseGoDuration } from './duration';
import { resolveStepVolumes, resolveVolumes } from './resolve-volumes';
import type { TParamValue } from './param-schemas';
import { envFieldPath, missingSource } from './companion-refs';
import { undeclaredBinding } from './propagation';
import { applyParamDefaults, checkParams } from './params';
import { inlineStepAction, mergeStepTemplate, stepName, stepResultPaths, type StepActionLookup } from './step-merge';
import { checkStepResultReferences, declaredResultType } from './step-results';
import { resolveStepWhen } from './step-when';
import { isolatedWorkspaces, stepWorkspaces } from './isolated-workspaces';
import { applyLaterPasses, paramScope, substituteArray, substituteString, type Scope } from './substitute';
import { ensureSubstitutedSize } from './substitution-size';
import type { TStep, TTaskSpec } from './task-schemas';
import { nestedMountPathErrors, resolveMountPath } from './workspace-paths';
import type { BoundWorkspace } from './bound-workspace';
import { secretRefId, type SecretKeyRef, type StepPlan, type TaskRunPlan, type WorkspacePlan } from './task-run-plan';
import type { ValidationError } from './validation-error';
import type { VarValue } from './variables';

/** What the TaskRun knows of itself; its `$(context.…)` values come from it (context-variables.ts). */
export type TaskRunContext = TaskRunFacts;

export type { BoundWorkspace };

export interface ResolveTaskRunInput {
  spec: TTaskSpec;
  /** Values by name, including propagated ones the spec does not declare. */
  params: Readonly<Record<string, TParamValue>>;
  context: TaskRunContext;
  /** Bound workspaces by the Task's workspace name; undeclared ones are propagated. */
  workspaces?: Readonly<Record<string, BoundWorkspace>>;
  /** Already the smaller of the task's own timeout and what is left of the pipeline's. 0 or undefined = none. */
  timeoutMs?: number;
  stepActions?: StepActionLookup;
  configMaps?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Each ConfigMap's binaryData (base64): files of its volumes only, as Kubernetes never puts it in env. */
  configMapBinary?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * The keys of each Secret, by Secret name. Never the values: the plan keeps references that the worker
   * resolves right before running (StepPlan.secretEnv, TaskRunPlan.maskRefs), so no table holds them.
   */
  secretKeys?: Readonly<Record<string, readonly string[]>>;
  /**
   * Pod-level settings (service account, pod template, stepSpecs, sidecarSpecs, task-level computeResources):
   * recorded in the plan for a Kubernetes executor, ignored by the local one.
   */
  pod?: TaskRunPodSettings;
}

export type ResolveTaskRunResult = { ok: true; plan: TaskRunPlan } | { ok: false; errors: ValidationError[] };

/** Turns a Task spec and its inputs into the plan an executor runs, every variable substituted. */
export function resolveTaskRun(input: ResolveTaskRunInput): ResolveTaskRunResult {
  const { spec, context } = input;
  const errors: ValidationError[] = [];
  const provided = new Map(
    Object.entries(input.params).map(([name, value]) => [name, { value, path: `params.${name}` }]),
  );
  errors.push(
    ...checkParams(spec.params, provided, {
      task: context.taskName,
      path: 'spec.params',
      provider: `TaskRun "${context.taskRunName}"`,
    }),
  );

  const workspaces = input.workspaces ?? {};
  const params = paramScope(applyParamDefaults(spec.params, input.params), { legacy: true });
  const scope: Record<string, VarValue> = {
    ...params,
    ...contextScope(taskContextFacts(context)),
  };

  const plans: WorkspacePlan[] = [];
  const secretsToMask = new Map<string, SecretKeyRef>();
  const declared = new Map((spec.workspaces ?? []).map((w) => [w.name, w]));
  const isolated = isolatedWorkspaces(spec.steps);
  for (const name of new Set([...declared.keys(), ...Object.keys(workspaces)])) {
    const decl = declared.get(name);
    const bound = workspaces[name];
    if (!decl && context.inlineSpec === false) {
      errors.push(undeclaredBinding(context.taskName, name));
      continue;
    }
    const { mountPath, error: mountError } = resolveMountPath(decl?.mountPath, name, scope, context.taskName);
    if (mountError) errors.push(mountError);
    scope[`workspaces.${name}.bound`] = bound ? 'true' : 'false';
    scope[`workspaces.${name}.path`] = bound ? mountPath : '';
    scope[`workspaces.${name}.claim`] = bound?.claim ?? '';
    scope[`workspaces.${name}.volume`] = bound ? name : '';
    if (!bound) {
      if (!decl?.optional) {
        errors.push({
          reason: 'TaskRunValidationFailed',
          task: context.taskName,
          path: 'spec.workspaces',
          message: `workspace "${name}" of task "${context.taskName}" is not bound`,
          hint: `Bind workspace "${name}" in the run, or mark it optional in the Task.`,
        });
      }
      continue;
    }
    if (bound.problem) {
      errors.push({
        reason: 'InvalidWorkspaceBindings',
        task: context.taskName,
        path: 'spec.workspaces',
        message: `workspace "${name}": ${bound.problem}`,
        hint: bound.hint ?? 'Remove the symlink from the volume, or bind another subPath.',
      });
      continue;
    }
    plans.push({
      name,
      mountPath,
      hostPath: bound.hostPath,
      ...(bound.root ? { root: bound.root } : {}),
      readOnly: Boolean(decl?.readOnly || bound.readOnly),
      ...(isolated.has(name) ? { isolated: true } : {}),
      ...(bound.source ? { source: bound.source } : {}),
      ...(bound.subPath ? { subPath: bound.subPath } : {}),
    });
    for (const ref of bound.secretRefs ?? []) secretsToMask.set(secretRefId(ref), ref);
  }
  errors.push(...nestedMountPathErrors(plans, context.taskName));
  const resultNames = (spec.results ?? []).map((r) => r.name);
  for (const r of resultNames) scope[`results.${r}.path`] = `/tekton/results/${r}`;
  spec.steps.forEach((step, i) => {
    scope[`steps.step-${stepName(step, i)}.exitCode.path`] = `/tekton/steps/step-${stepName(step, i)}/exitCode`;
  });
  applyLaterPasses(scope);
  ensureSubstitutedSize(spec, scope, `the spec of Task "${context.taskName}"`);

  const vols = resolveVolumes({ ...input, scope, task: context.taskName });
  errors.push(...vols.errors);
  for (const ref of vols.maskRefs) secretsToMask.set(secretRefId(ref), ref);
  const steps: StepPlan[] = [];
  const mergedSteps: TStep[] = [];
  let size = 0;
  spec.steps.forEach((raw, i) => {
    let step: TStep = raw;
    if (raw.ref) {
      const action = input.stepActions?.(raw.ref.name);
      if (!action) {
        errors.push({
          reason: 'TaskRunValidationFailed',
          task: context.taskName,
          path: `spec.steps[${i}].ref.name`,
          message: `step ${i} refers to StepAction "${raw.ref.name}", which does not exist`,
          hint: `Apply a StepAction named "${raw.ref.name}" first, or fix the name.`,
        });
        return;
      }
      step = inlineStepAction(raw, action, scope, i);
    }
    step = mergeStepTemplate(step, spec.stepTemplate);
    mergedSteps.push(step);
    const stepScope =
      raw.ref || !step.results ? scope : { ...scope, ...stepResultPaths(stepName(step, i), step.results) };
    size = ensureSubstitutedSize(step, stepScope, `the steps of Task "${context.taskName}"`, size);
    const envPath = envFieldPath(raw, i, spec, raw.ref && input.stepActions?.(raw.ref.name));
    steps.push({
      ...resolveStep(step, i, stepScope, input, errors, secretsToMask, envPath),
      ...resolveStepVolumes(step, i, stepScope, vols.volumes, context.taskName, errors),
      ...stepWorkspaces(raw, plans),
      ...resolveStepWhen(raw, stepScope),
    });
  });

  const resultsFromSteps = (spec.results ?? []).flatMap((r) =>
    r.value === undefined ? [] : [{ name: r.name, value: substituteString(r.value, scope) }],
  );
  errors.push(...checkStepResultReferences(steps, spec.results ?? [], context.taskName));
  if (errors.length > 0) return { ok: false, errors };
  stepContainerSettings(mergedSteps, input.pod, scope).forEach((settings, i) => Object.assign(steps[i], settings));
  const timeoutMs = input.timeoutMs ? input.timeoutMs : undefined;
  const plan: TaskRunPlan = {
    taskRunName: context.taskRunName,
    steps,
    workspaces: plans,
    resultNames,
    timeoutMs,
    secretsToMask: [],
  };
  if (secretsToMask.size > 0) plan.maskRefs = [...secretsToMask.values()];
  if (resultsFromSteps.length > 0) plan.resultsFromSteps = resultsFromSteps;
  if (vols.volumes.length > 0) plan.volumes = vols.volumes;
  if (vols.sidecars.length > 0) plan.sidecars = vols.sidecars;
  const pod = input.pod && podPlan(input.pod, params);
  if (pod) plan.pod = pod;
  return { ok: true, plan };
}

function resolveStep(
  step: TStep,
  index: number,
  scope: Scope,
  input: ResolveTaskRunInput,
  errors: ValidationError[],
  secretsToMask: Map<string, SecretKeyRef>,
  envPath: (name: string) => string,
): StepPlan {
  const task = input.context.taskName;
  const env: Record<string, string> = {};
  // Later entries win over earlier ones, whichever of the two maps holds them.
  const secretEnv: Record<string, SecretKeyRef> = {};
  const setPlain = (name: string, value: string) => {
    env[name] = value;
    delete secretEnv[name];
  };
  const setSecret = (name: string, ref: SecretKeyRef) => {
    secretEnv[name] = ref;
    delete env[name];
    secretsToMask.set(secretRefId(ref), ref);
  };
  step.envFrom?.forEach((source, j) => {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) return;
    const isSecret = Boolean(source.secretRef);
    const name = substituteString(ref.name, scope);
    const keys = isSecret ? input.secretKeys?.[name] : input.configMaps?.[name] && Object.keys(input.configMaps[name]);
    if (!keys) {
      if (!ref.optional)
        errors.push(missingSource(task, `spec.steps[${index}].envFrom[${j}]`, isSecret ? 'Secret' : 'ConfigMap', name));
      return;
    }
    for (const key of keys) {
      const envName = `${substituteString(source.prefix ?? '', scope)}${key}`;
      if (isSecret) setSecret(envName, { secret: name, key });
      else setPlain(envName, input.configMaps![name][key]);
    }
  });
  step.env?.forEach((e) => {
    if (e.value !== undefined) {
      setPlain(e.name, substituteString(e.value, scope));
      return;
    }
    const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
    if (!ref) {
      setPlain(e.name, '');
      return;
    }
    const isSecret = Boolean(e.valueFrom?.secretKeyRef);
    const name = substituteString(ref.name, scope);
    const key = substituteString(ref.key, scope);
    const value = isSecret ? undefined : input.configMaps?.[name]?.[key];
    const known = Boolean(isSecret ? input.secretKeys?.[name] : input.configMaps?.[name]);
    if (isSecret ? !input.secretKeys?.[name]?.includes(key) : value === undefined) {
      if (!ref.optional)
        errors.push(
          missingSource(task, `${envPath(e.name)}.valueFrom`, isSecret ? 'Secret' : 'ConfigMap', name, key, known),
        );
      return;
    }
    if (isSecret) setSecret(e.name, { secret: name, key });
    else setPlain(e.name, value!);
  });

  const timeoutMs = step.timeout === undefined ? undefined : parseGoDuration(step.timeout) || undefined;
  return {
    name: substituteString(stepName(step, index), scope),
    ...(step.displayName ? { displayName: step.displayName } : {}),
    image: step.image === undefined ? undefined : substituteString(step.image, scope),
    script: step.script === undefined ? undefined : substituteString(step.script, scope),
    command: step.command && substituteArray(step.command, scope),
    args: step.args && substituteArray(step.args, scope),
    env,
    workingDir: step.workingDir === undefined ? undefined : substituteString(step.workingDir, scope),
    timeoutMs,
    onError: resolveOnError(step.onError, scope, task, index, errors),
    ...(Object.keys(secretEnv).length > 0 ? { secretEnv } : {}),
    ...(step.results?.length
      ? { results: step.results.map((r) => ({ name: r.name, type: declaredResultType(r) })) }
      : {}),
  };
}

/** `onError` after substitution; Tekton refuses anything but its two values when it builds the pod. */
function resolveOnError(
  raw: string | undefined,
  scope: Scope,
  task: string,
  index: number,
  errors: ValidationError[],
): 'continue' | 'stopAndFail' {
  const value = substituteString(raw ?? 'stopAndFail', scope);
  if (value === 'continue' || value === 'stopAndFail') return value;
  errors.push({
    reason: 'TaskRunValidationFailed',
    task,
    path: `spec.steps[${index}].onError`,
    message: `task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "${value}"`,
    hint: raw?.includes('$(')
      ? `Pass "continue" or "stopAndFail" in the param that ${raw} names.`
      : 'Set onError to "continue" or "stopAndFail".',
  });
  return 'stopAndFail';
}
