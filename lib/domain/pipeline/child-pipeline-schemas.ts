import { z } from 'zod';
import { uniqueNames } from './param-schemas';

/**
 * Pipelines in Pipelines (TEP-0056, alpha upstream): a pipeline task with `pipelineRef` or `pipelineSpec` runs
 * a child PipelineRun instead of a TaskRun. This file holds the schema parts; child-pipeline-task.ts the rest.
 */

/** A field that may only be absent, refused with its message. */
const refused = (message: string) =>
  z
    .unknown()
    .refine((v) => v === undefined, { message })
    .optional();

/** A Pipeline of the same project, by name (as a PipelineRun's pipelineRef). */
export const ZPipelineTaskPipelineRef = z.strictObject({
  name: z.string().min(1, 'give the Pipeline name (apply the Pipeline first with `keelson apply -f pipeline.yaml`)'),
  apiVersion: z.enum(['tekton.dev/v1', 'tekton.dev/v1beta1']).optional(),
  resolver: refused(
    'a child Pipeline is referred to by name in the same project: apply it first (resolvers are not supported for pipelineRef in a pipeline task)',
  ),
  params: refused('resolver params are not supported: apply the Pipeline and refer to it by name'),
});
export type TPipelineTaskPipelineRef = z.infer<typeof ZPipelineTaskPipelineRef>;

const WHAT_RUNS = ['taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec'] as const;

interface PipelineTaskShape {
  taskRef?: unknown;
  taskSpec?: unknown;
  pipelineRef?: unknown;
  pipelineSpec?: unknown;
  retries?: number;
  matrix?: unknown;
  params?: readonly { name?: string }[];
  workspaces?: readonly { name?: string }[];
}

/**
 * A pipeline task runs exactly one of taskRef, taskSpec, pipelineRef or pipelineSpec. A child Pipeline takes
 * params, workspaces, runAfter, when, timeout and onError like a Task; matrix and retries are refused.
 */
export function childPipelineTaskIssues(t: PipelineTaskShape, ctx: z.RefinementCtx): void {
  const given = WHAT_RUNS.filter((k) => t[k] !== undefined && t[k] !== null);
  if (given.length !== 1)
    ctx.addIssue({
      code: 'custom',
      path: [given[0] ?? 'taskRef'],
      message:
        given.length === 0
          ? 'a pipeline task needs exactly one of taskRef or taskSpec (or pipelineRef or pipelineSpec to run a Pipeline)'
          : `a pipeline task needs exactly one of taskRef or taskSpec (or pipelineRef or pipelineSpec to run a Pipeline), not both ${given[0]} and ${given[1]}`,
    });
  uniqueNames(t.params, ctx, ['params'], 'param');
  uniqueNames(t.workspaces, ctx, ['workspaces'], 'workspace');
  const child = given.length === 1 && (given[0] === 'pipelineRef' || given[0] === 'pipelineSpec');
  if (!child) return;
  if (t.matrix !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['matrix'],
      message:
        'matrix is not supported on a pipeline task that runs a Pipeline: put the matrix on a task inside the child Pipeline',
    });
  if ((t.retries ?? 0) > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['retries'],
      message:
        'retries are not supported on a pipeline task that runs a Pipeline: set retries on the tasks inside the child Pipeline',
    });
}

/** Whether a pipeline task runs a child PipelineRun. */
export function runsChildPipeline(t: { pipelineRef?: unknown; pipelineSpec?: unknown }): boolean {
  return Boolean(t.pipelineRef || t.pipelineSpec);
}
