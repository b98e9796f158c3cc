import type { TStep } from './task-schemas';
import type { StepPlan, WorkspacePlan } from './task-run-plan';

/**
 * Tekton's isolated workspaces (a step's `workspaces`, WorkspaceUsage): a workspace some step lists
 * is mounted only in the steps that list it, each at its own mountPath; `$(workspaces.<w>.path)`
 * stays the Task's mountPath. The executor mounts them per step (see the local executor's step-workspaces.ts).
 */
export function isolatedWorkspaces(steps: readonly Pick<TStep, 'workspaces'>[]): Set<string> {
  return new Set(steps.flatMap((s) => (s.workspaces ?? []).map((w) => w.name)));
}

/** A step's isolated workspaces (those bound), each at the step's mountPath or else the workspace's. */
export function stepWorkspaces(step: TStep, plans: readonly WorkspacePlan[]): Pick<StepPlan, 'workspaces'> {
  const uses = (step.workspaces ?? []).flatMap((use) => {
    const plan = plans.find((p) => p.name === use.name);
    return plan ? [{ name: use.name, mountPath: use.mountPath || plan.mountPath }] : [];
  });
  return uses.length > 0 ? { workspaces: uses } : {};
}
