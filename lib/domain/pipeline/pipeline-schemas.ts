import { z } from 'zod';
import {
  DNS_LABEL,
  ZDuration,
  ZParam,
  ZParamSpec,
  ZPipelineResult,
  ZWhenExpression,
  uniqueNames,
} from './param-schemas';
import { childPipelineTaskIssues, ZPipelineTaskPipelineRef } from './child-pipeline-schemas';
import { onErrorSchema, ZEmbeddedTaskSpec } from './task-schemas';
import { ZSubPath } from './workspace-paths';

/** A Task by name. Remote refs (resolver) are resolved to inline specs by `keelson apply` before this schema sees them. */
export const ZTaskRef = z.strictObject({
  name: z.string().min(1, 'give the Task name (apply the Task first with `keelson apply -f task.yaml`)'),
  /**
   * A TaskRun takes any kind and resolves a Task by name, as upstream does; a pipeline task takes
   * `Task` or none (another kind makes it a custom task: see pipelineTaskRefIssues).
   */
  kind: z.string().optional(),
  apiVersion: z.literal('tekton.dev/v1').optional(),
  resolver: z
    .unknown()
    .refine((v) => v === undefined, {
      message:
        'a resolver ref is resolved only by `keelson apply` (POST /api/v1/apply), with the git or cluster resolver; elsewhere refer to an applied Task by name',
    })
    .optional(),
  params: z
    .unknown()
    .refine((v) => v === undefined, {
      message: 'resolver params are not supported: apply the Task and refer to it by name',
    })
    .optional(),
});

/**
 * Upstream classifies a pipeline task whose taskRef has a kind other than `Task` as a custom task,
 * which needs an apiVersion ("custom task ref must specify apiVersion"); Keelson runs no custom tasks.
 */
function pipelineTaskRefIssues(task: { taskRef?: { kind?: string } }, ctx: z.RefinementCtx): void {
  const kind = task.taskRef?.kind;
  if (kind === undefined || kind === '' || kind === 'Task') return;
  ctx.addIssue({
    code: 'custom',
    path: ['taskRef', 'kind'],
    message:
      kind.toLowerCase() === 'task'
        ? `kind "${kind}" is not "Task" (kinds are case-sensitive; upstream takes it for a custom task and refuses it: custom task ref must specify apiVersion): write kind: Task or leave kind out`
        : `kind "${kind}" makes this a custom task, which Keelson does not run (upstream: custom task ref must specify apiVersion): refer to a Task (kind: Task or no kind)`,
  });
}

export const ZPipelineTaskWorkspace = z.strictObject({
  name: z
    .string()
    .regex(DNS_LABEL, 'workspace names are lowercase letters, digits and "-": use the name the Task declares'),
  workspace: z.string().optional(),
  subPath: ZSubPath.optional(),
});
export type TPipelineTaskWorkspace = z.infer<typeof ZPipelineTaskWorkspace>;

const stringOnly = z.preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), z.string());

export const ZMatrix = z
  .strictObject({
    params: z
      .array(z.strictObject({ name: z.string().min(1), value: z.union([z.array(stringOnly), stringOnly]) }))
      .optional(),
    include: z
      .array(
        z.strictObject({
          name: z.string().optional(),
          params: z.array(z.strictObject({ name: z.string().min(1), value: stringOnly })),
        }),
      )
      .optional(),
  })
  .superRefine((m, ctx) => {
    uniqueNames(m.params, ctx, ['params'], 'matrix param');
    m.include?.forEach((inc, i) => uniqueNames(inc.params, ctx, ['include', i, 'params'], 'include param'));
    m.params?.forEach((p, i) => {
      // A whole-array reference such as "$(params.platforms[*])" is resolved at run time.
      if (typeof p.value === 'string' && !/^\$\([^)]+\)$/.test(p.value.trim())) {
        ctx.addIssue({
          code: 'custom',
          path: ['params', i, 'value'],
          message: 'matrix params take an array of values',
        });
      }
    });
  });
export type TMatrix = z.infer<typeof ZMatrix>;

const pipelineTaskFields = {
  name: z.string().regex(DNS_LABEL, 'task names are lowercase letters, digits and "-", at most 63 characters').max(63),
  displayName: z.string().optional(),
  description: z.string().optional(),
  taskRef: ZTaskRef.optional(),
  taskSpec: ZEmbeddedTaskSpec.optional(),
  // Pipelines in Pipelines (TEP-0056): the task runs a child PipelineRun (child-pipeline-schemas.ts).
  pipelineRef: ZPipelineTaskPipelineRef.optional(),
  params: z.array(ZParam).optional(),
  workspaces: z.array(ZPipelineTaskWorkspace).optional(),
  runAfter: z.array(z.string()).optional(),
  retries: z.number().int().min(0).optional(),
  timeout: ZDuration.optional(),
  when: z.array(ZWhenExpression).optional(),
  matrix: ZMatrix.optional(),
  onError: onErrorSchema('PipelineTask').optional(),
};
type ZPipelineTaskFields = z.ZodObject<typeof pipelineTaskFields, z.core.$strict>;
/** A pipeline task; an embedded `pipelineSpec` nests a whole pipeline spec (typed by hand: the schema recurses). */
export type TPipelineTask = z.infer<ZPipelineTaskFields> & { pipelineSpec?: TPipelineSpec };
type TPipelineTaskInput = z.input<ZPipelineTaskFields> & { pipelineSpec?: TPipelineSpecInput };

export const ZPipelineTask: z.ZodType<TPipelineTask, TPipelineTaskInput> = z
  .strictObject({ ...pipelineTaskFields, pipelineSpec: z.lazy(() => ZPipelineSpec).optional() })
  .superRefine(childPipelineTaskIssues)
  .superRefine(pipelineTaskRefIssues);

export const ZPipelineWorkspaceDeclaration = z.strictObject({
  name: z.string().regex(DNS_LABEL, 'workspace names are lowercase letters, digits and "-"'),
  description: z.string().optional(),
  optional: z.boolean().optional(),
});

const pipelineSpecFields = {
  description: z.string().optional(),
  displayName: z.string().optional(),
  params: z.array(ZParamSpec).optional(),
  workspaces: z.array(ZPipelineWorkspaceDeclaration).optional(),
  results: z.array(ZPipelineResult).optional(),
  metadata: z
    .unknown()
    .refine((v) => v === undefined, {
      message:
        "a pipeline spec has no metadata in Tekton (upstream refuses it as an unknown field): put labels and annotations on the Pipeline's or PipelineRun's metadata, or on an embedded taskSpec's metadata",
    })
    .optional(),
};
type ZPipelineSpecFields = z.ZodObject<typeof pipelineSpecFields, z.core.$strict>;
export type TPipelineSpec = z.infer<ZPipelineSpecFields> & { tasks: TPipelineTask[]; finally?: TPipelineTask[] };
export type TPipelineSpecInput = z.input<ZPipelineSpecFields> & {
  tasks: TPipelineTaskInput[];
  finally?: TPipelineTaskInput[];
};

const { results: _results, ...specHead } = pipelineSpecFields;

export const ZPipelineSpec: z.ZodType<TPipelineSpec, TPipelineSpecInput> = z
  .strictObject({
    // Tekton's field order: results after the tasks.
    ...specHead,
    tasks: z.array(ZPipelineTask).min(1, 'a pipeline needs at least one task'),
    finally: z.array(ZPipelineTask).optional(),
    results: pipelineSpecFields.results,
  })
  .superRefine((spec, ctx) => {
    uniqueNames(spec.params, ctx, ['params'], 'param');
    uniqueNames(spec.workspaces, ctx, ['workspaces'], 'workspace');
    uniqueNames(spec.results, ctx, ['results'], 'result');
    const seen = new Map<string, string>();
    for (const section of ['tasks', 'finally'] as const) {
      spec[section]?.forEach((task, i) => {
        const earlier = seen.get(task.name);
        if (earlier)
          ctx.addIssue({
            code: 'custom',
            path: [section, i, 'name'],
            message: `duplicate task name "${task.name}" (already used at ${earlier})`,
          });
        else seen.set(task.name, `${section}[${i}]`);
      });
    }
  });
