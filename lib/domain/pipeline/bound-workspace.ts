import type { SecretKeyRef, WorkspaceSource } from './task-run-plan';

/** A workspace as the run bound it, before a TaskRun's plan takes it (resolve-task-run.ts). */
export interface BoundWorkspace {
  /** The worker folder backing it, subPath included. */
  hostPath: string;
  /** The volume's own folder, which steps cannot replace; hostPath lies inside it (see WorkspacePlan.root). */
  root?: string;
  /** Why the folder cannot be used (a step put a symlink on its path, a CSI volume); a TaskRun using it fails with this. */
  problem?: string;
  /** What to do about the problem; the default speaks of symlinks. */
  hint?: string;
  /** PVC claim name for `$(workspaces.w.claim)`; empty for other sources. */
  claim?: string;
  readOnly?: boolean;
  /** The Secret keys whose files this workspace shows: their values are masked in logs. */
  secretRefs?: SecretKeyRef[];
  /** The volume a Kubernetes executor mounts (WorkspacePlan.source). */
  source?: WorkspaceSource;
  /** The subPath inside that volume (the binding's, joined with a pipeline task's); hostPath already includes it. */
  subPath?: string;
}
