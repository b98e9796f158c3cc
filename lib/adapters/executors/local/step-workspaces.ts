import path from 'node:path';
import type { StepPlan, WorkspacePlan } from '../../../domain/pipeline/task-run-plan';
import { normaliseContainerPath } from '../../../domain/pipeline/workspace-paths';
import type { PathMapping } from './path-rewrite';

/**
 * Tekton's isolated workspaces (a step's `workspaces`): a workspace some step lists is mounted only
 * in the steps that list it, each at the mountPath it gives. The others are every step's.
 */
export function sharedWorkspaces(workspaces: readonly WorkspacePlan[]): WorkspacePlan[] {
  return workspaces.filter((w) => !w.isolated);
}

/**
 * The step's mappings: the TaskRun's (shared workspaces and Tekton's folders) and the isolated
 * workspaces this step lists, most specific container path first. Each keeps its volume's root, so
 * it gets the same checks as any workspace before the step starts (checkStepMounts, pinWorkspaceMounts).
 */
export function withStepWorkspaces(
  mappings: readonly PathMapping[],
  step: StepPlan,
  workspaces: readonly WorkspacePlan[],
): PathMapping[] {
  const own = (step.workspaces ?? []).flatMap((use): PathMapping[] => {
    const w = workspaces.find((p) => p.name === use.name && p.isolated);
    if (!w) return [];
    return [
      {
        container: normaliseContainerPath(use.mountPath),
        host: path.resolve(w.hostPath),
        readOnly: w.readOnly,
        root: path.resolve(w.root ?? w.hostPath),
      },
    ];
  });
  if (own.length === 0) return [...mappings];
  return [...own, ...mappings].sort((a, b) => b.container.length - a.container.length);
}
