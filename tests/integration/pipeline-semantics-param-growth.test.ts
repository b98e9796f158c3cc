import { expect, it } from 'vitest';
import { MAX_TASK_PARAM_LENGTH } from '../../lib/domain/pipeline/plan-task-start';
import { child, start, storePipelines, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

/** A run param of 1 MiB (the body allows it) that a pipeline task's param repeats 1000 times: 1 GB if built. */
const big = 'x'.repeat(1024 * 1024);
const runOf = (name: string, task: unknown) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { name },
  spec: { params: [{ name: 'big', value: big }], pipelineSpec: { params: [{ name: 'big' }], tasks: [task] } },
});
const repeated = '$(params.big)'.repeat(1000);
const refused = expect.stringContaining(
  `the value of param "v" of pipeline task "use" would be 1048576000 characters long once the params and results it uses are put in; at most ${MAX_TASK_PARAM_LENGTH} are allowed`,
);

it('a pipeline task param that would grow past the limit fails its TaskRun instead of being built', async () => {
  const task = {
    name: 'use',
    params: [{ name: 'v', value: repeated }],
    taskSpec: { params: [{ name: 'v' }], steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.v)"' }] },
  };
  const run = await start(h, runOf('growth-task', task));
  const done = await waitForRun(h, run.id);
  expect(done.conditionReason).toBe('Failed');
  const taskRun = await child(h, run.id, 'use');
  expect(taskRun.state).toBe('failed');
  expect(taskRun.status.conditions[0]).toMatchObject({ reason: 'InvalidParamValue', message: refused });
}, 60_000);

it('so does one of a pipeline task that runs a Pipeline: no child PipelineRun is created', async () => {
  await storePipelines(h, {
    'growth-inner': {
      params: [{ name: 'v' }],
      tasks: [{ name: 'x', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] } }],
    },
  });
  const run = await start(
    h,
    runOf('growth-child', {
      name: 'use',
      params: [{ name: 'v', value: repeated }],
      pipelineRef: { name: 'growth-inner' },
    }),
  );
  const done = await waitForRun(h, run.id);
  expect(done.conditionReason).toBe('Failed');
  const inPlace = await child(h, run.id, 'use');
  expect(inPlace.status.conditions[0]).toMatchObject({ reason: 'InvalidParamValue', message: refused });
}, 60_000);

it('a step script repeating a long param fails its TaskRun before the script is built', async () => {
  const task = {
    name: 'use',
    params: [{ name: 'v', value: '$(params.big)' }],
    taskSpec: {
      params: [{ name: 'v' }],
      steps: [{ name: 's', image: 'alpine', script: 'true $(params.v)\n'.repeat(1000) }],
    },
  };
  const run = await start(h, runOf('growth-script', task));
  const done = await waitForRun(h, run.id);
  expect(done.conditionReason).toBe('Failed');
  const taskRun = await child(h, run.id, 'use');
  expect(taskRun.state).toBe('failed');
  expect(taskRun.status.conditions[0]).toMatchObject({
    reason: 'TaskRunValidationFailed',
    message: expect.stringContaining(`the spec of Task "use" would be`),
  });
}, 60_000);
