import { divideQuantity } from './k8s-quantity';
import type { K8sResources } from './task-run-plan';

/**
 * Container resources as Tekton combines them: stepTemplate under the step, `stepSpecs` / `sidecarSpecs` over
 * both (a strategic merge: the override's keys win, the others stay), and a TaskRun's task-level
 * `computeResources` replacing every step's (pkg/internal/computeresources/tasklevel).
 */

type LooseResources = { limits?: Record<string, unknown>; requests?: Record<string, unknown> } | undefined;

const quantities = (list: Record<string, unknown> | undefined): Record<string, string> | undefined => {
  if (!list) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(list)) if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  return Object.keys(out).length > 0 ? out : undefined;
};

/** `{limits, requests}` with every quantity a string (YAML may give `cpu: 1`); undefined when both are empty. */
export function normaliseResources(r: LooseResources): K8sResources | undefined {
  const limits = quantities(r?.limits);
  const requests = quantities(r?.requests);
  if (!limits && !requests) return undefined;
  return { ...(limits ? { limits } : {}), ...(requests ? { requests } : {}) };
}

/** Strategic merge of two ResourceRequirements: `over`'s quantities win, per resource name. */
export function mergeResources(base: LooseResources, over: LooseResources): K8sResources | undefined {
  const b = normaliseResources(base);
  const o = normaliseResources(over);
  if (!b) return o;
  if (!o) return b;
  return normaliseResources({
    limits: { ...b.limits, ...o.limits },
    requests: { ...b.requests, ...o.requests },
  });
}

/**
 * Tekton's ApplyTaskLevelComputeResources: each step's limits become the task's, its requests the task's divided
 * by the number of steps; with no requests anywhere, the divided limits (so Kubernetes does not request the
 * whole limit per container). A step's own requests are replaced even when the task gives only limits.
 */
export function applyTaskLevelResources(
  steps: readonly (K8sResources | undefined)[],
  task: LooseResources,
): (K8sResources | undefined)[] {
  const t = normaliseResources(task);
  if (!t) return [...steps];
  const average = (list: Record<string, string> | undefined) =>
    list && Object.fromEntries(Object.entries(list).map(([k, v]) => [k, divideQuantity(v, steps.length)]));
  const requests = average(t.requests);
  const fromLimits = average(t.limits);
  return steps.map((s) => {
    const stepRequests = !s?.requests && !t.requests ? fromLimits : requests;
    return normaliseResources({ limits: t.limits, requests: stepRequests });
  });
}
