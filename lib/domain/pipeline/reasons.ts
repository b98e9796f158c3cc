import { z } from 'zod';
import type { ValidationReason } from './validation-error';

/**
 * Why a pipeline task was skipped (Tekton's `SkippingReason`). The values are Tekton's texts, which
 * `status.skippedTasks` stores and shows; code compares these constants, never the text.
 */
export const SkippingReason = {
  WhenExpressions: 'When Expressions evaluated to false',
  ParentTasks: 'Parent Tasks were skipped',
  Stopping: 'PipelineRun was stopping',
  GracefullyCancelled: 'PipelineRun was gracefully cancelled',
  GracefullyStopped: 'PipelineRun was gracefully stopped',
  MissingResults: 'Results were missing',
  PipelineTimedOut: 'PipelineRun timeout has been reached',
  TasksTimedOut: 'PipelineRun Tasks timeout has been reached',
  FinallyTimedOut: 'PipelineRun Finally timeout has been reached',
  EmptyArrayInMatrixParams: 'Matrix Parameters have an empty array',
  /** Not skipped: what `$(tasks.T.reason)` says of a task that did not run. */
  None: 'None',
} as const;

/** Keelson's own skip: a matrix with more combinations than the cap (Tekton refuses the run instead). */
export type MatrixOverCapSkip = `Matrix creates ${number} combinations, over the cap`;

export type SkippingReason = (typeof SkippingReason)[keyof typeof SkippingReason] | MatrixOverCapSkip;

export function matrixOverCapSkip(combinations: number): MatrixOverCapSkip {
  return `Matrix creates ${combinations} combinations, over the cap`;
}

export const ZSkippingReason = z.union([
  z.enum(SkippingReason),
  z.templateLiteral(['Matrix creates ', z.number(), ' combinations, over the cap']),
]);

export const ZSkippedTask = z.object({ name: z.string(), reason: ZSkippingReason });
export type TSkippedTask = z.infer<typeof ZSkippedTask>;

/**
 * The reasons of a PipelineRun's Succeeded condition (Tekton's `PipelineRunReason`), besides the
 * validation reasons a run that cannot start reports.
 */
export const PipelineRunReason = {
  Started: 'Started',
  Running: 'Running',
  Pending: 'PipelineRunPending',
  /** Keelson's: waiting for a slot of its concurrency group (concurrency.ts). */
  Queued: 'Queued',
  Stopping: 'PipelineRunStopping',
  CancelledRunningFinally: 'CancelledRunningFinally',
  StoppedRunningFinally: 'StoppedRunningFinally',
  Successful: 'Succeeded',
  Completed: 'Completed',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
  Timeout: 'PipelineRunTimeout',
  /** Keelson's: every failed task failed by its own timeout. */
  TaskRunTimeout: 'TaskRunTimeout',
  /**
   * Keelson's: reconciling the run threw an error that would recur at every try (a substitution over the cap, a stored
   * spec that no longer parses), as upstream's permanent reconcile errors end a run failed.
   */
  ReconcileFailed: 'ReconcileFailed',
} as const;

export type PipelineRunReason = (typeof PipelineRunReason)[keyof typeof PipelineRunReason] | ValidationReason;

/** The reasons of a TaskRun's Succeeded condition (Tekton's `TaskRunReason`), besides validation reasons. */
export const TaskRunReason = {
  /** Keelson's: created, waiting for a worker to claim it. */
  Pending: 'Pending',
  Started: 'Started',
  Running: 'Running',
  Successful: 'Succeeded',
  Failed: 'Failed',
  ToBeRetried: 'ToBeRetried',
  Cancelled: 'TaskRunCancelled',
  Timeout: 'TaskRunTimeout',
  /** Keelson's: the worker running it stopped renewing its lease. */
  LeaseExpired: 'TaskRunLeaseExpired',
  /**
   * Keelson's, from the local executor: a step with neither script nor command runs its image's
   * entrypoint, which only an executor that runs images knows (the Kubernetes executor).
   */
  ImageEntrypointUnsupported: 'StepImageEntrypointUnsupported',
  /** Keelson's, from the local executor: a sidecar it cannot start (no script or command: an image's entrypoint). */
  SidecarsUnsupported: 'SidecarsUnsupported',
  /** Keelson's, from the local executor: a volume source it cannot provide (persistentVolumeClaim, csi, …). */
  VolumeSourceUnsupported: 'VolumeSourceUnsupported',
  /** Keelson's, from the local executor: the disk of the TaskRun's run folder is full (ENOSPC). */
  DiskFull: 'TaskRunDiskFull',
} as const;

export type TaskRunReason = (typeof TaskRunReason)[keyof typeof TaskRunReason] | ValidationReason;
