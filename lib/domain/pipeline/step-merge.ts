import { applyParamDefaults } from './params';
import { stepResultPath } from './step-results';
import { paramScope, substituteArray, substituteString, substituteValue, type Scope } from './substitute';
import { ensureSubstitutedSize } from './substitution-size';
import type { TEnvVar, TStep, TStepActionSpec, TStepTemplate } from './task-schemas';
import type { VarValue } from './variables';

/** Tekton's name for a step without one. */
export function stepName(step: { name?: string }, index: number): string {
  return step.name ?? `unnamed-${index}`;
}

/** stepTemplate fields fill in what the step leaves out; env entries merge by name, the step's winning. */
export function mergeStepTemplate(step: TStep, template: TStepTemplate | undefined): TStep {
  if (!template) return step;
  const env = mergeEnv(template.env, step.env);
  return {
    ...step,
    image: step.image ?? template.image,
    // A script replaces the template's command, as Tekton runs the script instead.
    command: step.command ?? (step.script === undefined ? template.command : undefined),
    args: step.args ?? (step.script === undefined ? template.args : undefined),
    workingDir: step.workingDir ?? template.workingDir,
    env: env.length > 0 ? env : undefined,
    envFrom: template.envFrom || step.envFrom ? [...(template.envFrom ?? []), ...(step.envFrom ?? [])] : undefined,
    volumeMounts: mergeVolumeMounts(template.volumeMounts, step.volumeMounts),
    // Strategic merge, as upstream's MergeStepsWithStepTemplate: nested fields merge, the step's winning.
    imagePullPolicy: step.imagePullPolicy ?? template.imagePullPolicy,
    computeResources: mergeObjects(template.computeResources, step.computeResources),
    securityContext: mergeObjects(template.securityContext, step.securityContext),
  };
}

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON merge of two objects: nested objects merge, anything else (lists included) from `over` when it has it. */
export function mergeObjects(base: Loose | undefined, over: Loose | undefined): Loose | undefined {
  if (!base) return over;
  if (!over) return base;
  const out: Loose = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isObject(v) && isObject(base[k]) ? mergeObjects(base[k], v) : v;
  }
  return out;
}

/** Tekton merges volumeMounts by mountPath (its patchMergeKey), the step's winning. */
function mergeVolumeMounts(base: TStep['volumeMounts'], over: TStep['volumeMounts']): TStep['volumeMounts'] {
  if (!base && !over) return undefined;
  const byPath = new Map<string, NonNullable<TStep['volumeMounts']>[number]>();
  for (const m of [...(base ?? []), ...(over ?? [])]) byPath.set(m.mountPath, m);
  return [...byPath.values()];
}

function mergeEnv(base: readonly TEnvVar[] | undefined, over: readonly TEnvVar[] | undefined): TEnvVar[] {
  const byName = new Map<string, TEnvVar>();
  for (const e of base ?? []) byName.set(e.name, e);
  for (const e of over ?? []) byName.set(e.name, e);
  return [...byName.values()];
}

export type StepActionLookup = (name: string) => TStepActionSpec | undefined;

/**
 * Replaces a `ref` step by its StepAction: the action's params get the step's values (after the
 * task's own substitution) over their defaults, and only they are visible inside the action.
 * `$(step.results.r.path)` is the step's own result file (a step result, in the step's folder; a Task
 * publishes one with `value: $(steps.<step>.results.r)`), never the task's.
 */
export function inlineStepAction(step: TStep, action: TStepActionSpec, taskScope: Scope, index: number): TStep {
  ensureSubstitutedSize(step.params, taskScope, `the params of step ${index}`);
  const given = Object.fromEntries((step.params ?? []).map((p) => [p.name, substituteValue(p.value, taskScope)]));
  const values = applyParamDefaults(action.params, given);
  const scope: Record<string, VarValue> = {
    ...paramScope(values),
    ...stepResultPaths(stepName(step, index), action.results),
  };
  const { image, script, command, args, env, workingDir } = action;
  ensureSubstitutedSize(
    { image, script, command, args, env, workingDir },
    scope,
    `StepAction "${step.ref?.name}" of step ${index}`,
  );
  return {
    name: step.name,
    image: action.image === undefined ? undefined : substituteString(action.image, scope),
    script: action.script === undefined ? undefined : substituteString(action.script, scope),
    command: action.command && substituteArray(action.command, scope),
    args: action.args && substituteArray(action.args, scope),
    env: action.env?.map((e) => (e.value === undefined ? e : { ...e, value: substituteString(e.value, scope) })),
    workingDir:
      step.workingDir ?? (action.workingDir === undefined ? undefined : substituteString(action.workingDir, scope)),
    envFrom: step.envFrom,
    timeout: step.timeout,
    onError: step.onError,
    results: action.results,
    volumeMounts: mergeVolumeMounts(action.volumeMounts, step.volumeMounts),
    stdoutConfig: step.stdoutConfig,
    stderrConfig: step.stderrConfig,
    // Upstream's GetStepActionsData sets the action's securityContext (none when it has none); the step keeps its
    // computeResources and imagePullPolicy.
    securityContext: action.securityContext,
    computeResources: step.computeResources,
    imagePullPolicy: step.imagePullPolicy,
  };
}

/** `step.results.<r>.path` entries for one step's declared results. */
export function stepResultPaths(
  step: string,
  results: readonly { name: string }[] | undefined,
): Record<string, string> {
  return Object.fromEntries((results ?? []).map((r) => [`step.results.${r.name}.path`, stepResultPath(step, r.name)]));
}
