import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZPipelineSpec, ZPipelineTask } from './pipeline-schemas';
import { resolveTaskRun } from './resolve-task-run';
import { ZStep, ZTaskSpec } from './task-schemas';
import { validatePipeline } from './validate-pipeline';

const errorsOf = (yaml: string, runParams?: { name: string; value: string }[]) =>
  validatePipeline(ZPipelineSpec.parse(parse(yaml)), { runParams }).map((e) => `${e.path}: ${e.message}`);

describe("context variables in pipeline task params (Tekton's TestContextValid / TestContextInvalid)", () => {
  it.each([
    ['string for pipeline name', 'params: [{name: a, value: $(context.pipeline.name)}]'],
    ['string for pipelineRun name', 'params: [{name: a, value: $(context.pipelineRun.name)}]'],
    ['string for pipelineRun namespace', 'params: [{name: a, value: $(context.pipelineRun.namespace)}]'],
    ['string for pipelineRun uid', 'params: [{name: a, value: $(context.pipelineRun.uid)}]'],
    ['string for pipelineTask retries', 'params: [{name: a, value: $(context.pipelineTask.retries)}]'],
    [
      'array of pipeline and pipelineRun names',
      'params: [{name: a, value: [$(context.pipeline.name), and, $(context.pipelineRun.name)]}]',
    ],
    [
      'matrix params',
      'matrix: {params: [{name: a, value: [$(context.pipeline.name), $(context.pipelineTask.retries)]}]}',
    ],
    ['matrix include', 'matrix: {include: [{name: b, params: [{name: a, value: $(context.pipelineTask.retries)}]}]}'],
    ['task variables are left to the Task', 'params: [{name: a, value: $(context.taskRun.name)}]'],
  ])('valid: %s', (_name, fields) => {
    expect(errorsOf(`tasks: [{name: bar, taskRef: {name: bar-task}, ${fields}}]`)).toEqual([]);
  });

  it.each([
    [
      'pipeline',
      'params: [{name: a, value: $(context.pipeline.missing)}]',
      'params[0].value',
      '$(context.pipeline.missing)',
    ],
    [
      'pipelineRun',
      'params: [{name: a, value: $(context.pipelineRun.missing)}]',
      'params[0].value',
      '$(context.pipelineRun.missing)',
    ],
    [
      'pipelineTask',
      'params: [{name: a, value: $(context.pipelineTask.missing)}]',
      'params[0].value',
      '$(context.pipelineTask.missing)',
    ],
    [
      'matrix',
      'matrix: {params: [{name: a, value: [$(context.pipeline.missing-foo)]}]}',
      'matrix.params[0].value',
      '$(context.pipeline.missing-foo)',
    ],
  ])('invalid: %s', (_name, fields, path, text) => {
    expect(errorsOf(`tasks: [{name: bar, taskRef: {name: bar-task}, ${fields}}]`)).toEqual([
      `spec.tasks[0].${path}: non-existent variable in "${text}"`,
    ]);
  });
});

describe("a pipeline task's onError (Tekton's PipelineTask.ValidateOnError)", () => {
  const pipeline = (task: string) =>
    `params: [{name: mode, default: stopAndFail}]\ntasks: [{name: t, taskRef: {name: x}, ${task}}]`;

  it.each([
    ['continue', 'onError: continue', undefined, []],
    ['stopAndFail', 'onError: stopAndFail', undefined, []],
    ['a param reference', 'onError: $(params.mode)', [{ name: 'mode', value: 'continue' }], []],
    [
      'a param reference to an invalid value',
      'onError: $(params.mode)',
      [{ name: 'mode', value: 'bogus' }],
      ['spec.tasks[0].onError: invalid value: bogus: PipelineTask OnError must be either "continue" or "stopAndFail"'],
    ],
    [
      'continue with retries',
      'onError: continue, retries: 1',
      undefined,
      ['spec.tasks[0].onError: PipelineTask OnError cannot be set to "continue" when Retries is greater than 0'],
    ],
    [
      'continue through a param with retries',
      'onError: $(params.mode), retries: 2',
      [{ name: 'mode', value: 'continue' }],
      ['spec.tasks[0].onError: PipelineTask OnError cannot be set to "continue" when Retries is greater than 0'],
    ],
  ])('%s', (_name, fields, runParams, expected) => {
    expect(errorsOf(pipeline(fields), runParams)).toEqual(expected);
  });

  it('the schema refuses any other value, naming both allowed ones', () => {
    const parsed = ZPipelineTask.safeParse({ name: 't', taskRef: { name: 'x' }, onError: 'ignore' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['onError'],
      message: 'PipelineTask onError must be either "continue" or "stopAndFail" (or a $(params.<name>) that gives one)',
    });
  });
});

describe("a step's onError (Tekton's Step.Validate and the pod builder)", () => {
  const run = (onError: string, value?: string) =>
    resolveTaskRun({
      spec: ZTaskSpec.parse({
        params: [{ name: 'CONTINUE', default: 'continue' }],
        steps: [{ image: 'image', script: 'exit 1', onError }],
      }),
      params: value === undefined ? {} : { CONTINUE: value },
      context: { taskRunName: 'tr', namespace: 'default', taskRunUid: 'u', taskName: 'tr', retryCount: 0 },
    });

  it('accepts a param reference and uses its value', () => {
    const resolved = run('$(params.CONTINUE)');
    expect(resolved.ok && resolved.plan.steps[0].onError).toBe('continue');
  });

  it('a value that is neither continue nor stopAndFail after substitution fails the TaskRun', () => {
    const resolved = run('$(params.CONTINUE)', 'sometimes');
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.errors[0]).toMatchObject({
      reason: 'TaskRunValidationFailed',
      path: 'spec.steps[0].onError',
      message:
        'task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "sometimes"',
    });
  });

  it('the schema refuses a literal other value', () => {
    const parsed = ZStep.safeParse({ image: 'image', onError: 'onError' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe(
      'Task step onError must be either "continue" or "stopAndFail" (or a $(params.<name>) that gives one)',
    );
  });
});
