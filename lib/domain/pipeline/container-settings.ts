import { applyTaskLevelResources, mergeResources, normaliseResources } from './compute-resources';
import type { TaskRunPodSettings } from './pod-settings';
import { substituteString, type Scope } from './substitute';
import type { TSidecar, TStep } from './task-schemas';
import type { StepPlan } from './task-run-plan';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'] as const;
type PullPolicy = (typeof PULL_POLICIES)[number];

/**
 * `imagePullPolicy` after substitution (upstream substitutes it with the container's fields); a value Kubernetes
 * does not know is left out of the plan (the local executor never used it; the pod then gets the default).
 */
function pullPolicy(raw: string | undefined, scope: Scope): PullPolicy | undefined {
  if (raw === undefined) return undefined;
  const value = substituteString(raw, scope);
  return (PULL_POLICIES as readonly string[]).includes(value) ? (value as PullPolicy) : undefined;
}

/**
 * The container settings of each step, as upstream's pod builder computes them: the step's own (stepTemplate
 * merged in), then `stepSpecs[name].computeResources` merged over them, then a TaskRun's task-level
 * `computeResources` replacing them all (split across the steps). `steps` are the merged steps, in plan order.
 */
export function stepContainerSettings(
  steps: readonly TStep[],
  pod: TaskRunPodSettings | undefined,
  scope: Scope,
): Pick<StepPlan, 'computeResources' | 'securityContext' | 'imagePullPolicy'>[] {
  const specs = new Map((pod?.stepSpecs ?? []).map((s) => [s.name, s.computeResources]));
  let resources = steps.map((s) => {
    const own = normaliseResources(s.computeResources);
    return s.name !== undefined && specs.has(s.name) ? mergeResources(own, specs.get(s.name)) : own;
  });
  if (pod?.computeResources) resources = applyTaskLevelResources(resources, pod.computeResources);
  return steps.map((s, i) => {
    const imagePullPolicy = pullPolicy(s.imagePullPolicy, scope);
    return {
      ...(resources[i] ? { computeResources: resources[i] } : {}),
      ...(s.securityContext ? { securityContext: s.securityContext } : {}),
      ...(imagePullPolicy ? { imagePullPolicy } : {}),
    };
  });
}

const NOT_CONTAINER_FIELDS = new Set(['script', 'workspaces', 'computeResources']);

/** Every string in a JSON value substituted (keys left alone). */
export function substituteStrings(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return substituteString(value, scope);
  if (Array.isArray(value)) return value.map((v) => substituteStrings(v, scope));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteStrings(v, scope)]));
  return value;
}

/**
 * A sidecar as the Kubernetes Container a pod runs, after substitution: its fields as written (ports, probes,
 * securityContext, env with valueFrom, ...), `computeResources` as `resources` with `sidecarSpecs` merged over
 * them; `script` and `workspaces` are Tekton's, not the container's (SidecarPlan.script carries the script).
 */
export function sidecarContainer(
  sidecar: TSidecar,
  pod: TaskRunPodSettings | undefined,
  scope: Scope,
): Record<string, unknown> {
  const fields = Object.fromEntries(Object.entries(sidecar).filter(([k]) => !NOT_CONTAINER_FIELDS.has(k)));
  const container = substituteStrings(fields, scope) as Record<string, unknown>;
  const override = pod?.sidecarSpecs?.find((s) => s.name === sidecar.name)?.computeResources;
  const resources = override
    ? mergeResources(sidecar.computeResources, override)
    : normaliseResources(sidecar.computeResources);
  const imagePullPolicy = pullPolicy(sidecar.imagePullPolicy, scope);
  delete container.imagePullPolicy;
  return {
    ...container,
    ...(imagePullPolicy ? { imagePullPolicy } : {}),
    ...(resources ? { resources } : {}),
  };
}
