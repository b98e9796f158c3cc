import { describe, expect, it } from 'vitest';
import {
  child,
  logLines,
  onKubernetes,
  pipelineRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

describe('timeouts', () => {
  it('a step timeout fails the TaskRun with TaskRunTimeout and fails the run', async () => {
    const began = Date.now();
    const run = await start(
      h,
      pipelineRun('step-timeout', {
        tasks: [
          {
            name: 'slow',
            taskSpec: {
              steps: [
                { name: 'nap', image: 'alpine', timeout: '1s', script: 'sleep 5' },
                { name: 'after', image: 'alpine', script: 'echo never' },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    // A pod adds its start (~2 s with place-scripts) and the kubelet's report of its end (~1 s).
    expect(Date.now() - began).toBeLessThan(onKubernetes ? 8000 : 4500);
    expect(done.conditionStatus).toBe('False');
    const slow = await child(h, run.id, 'slow');
    expect(slow.state).toBe('failed');
    expect(slow.status.conditions[0]).toMatchObject({ status: 'False', reason: 'TaskRunTimeout' });
    // Tekton: when every failed task failed by its own timeout, the run's reason is TaskRunTimeout too.
    expect(['Failed', 'TaskRunTimeout']).toContain(done.conditionReason);
  });

  it('a pipeline task timeout fails that TaskRun with TaskRunTimeout', async () => {
    const began = Date.now();
    const run = await start(
      h,
      pipelineRun('task-timeout', {
        tasks: [
          { name: 'slow', timeout: '1s', taskSpec: { steps: [{ name: 'nap', image: 'alpine', script: 'sleep 5' }] } },
          { name: 'quick', taskSpec: { steps: [{ name: 'ok', image: 'alpine', script: 'true' }] } },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(Date.now() - began).toBeLessThan(4500);
    expect(done.conditionStatus).toBe('False');
    expect(done.status.conditions[0].message).toBe('Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0');
    const slow = await child(h, run.id, 'slow');
    expect(slow.status.conditions[0]).toMatchObject({ status: 'False', reason: 'TaskRunTimeout' });
    expect((await child(h, run.id, 'quick')).state).toBe('succeeded');
  });

  it('timeouts.pipeline ends a long run with PipelineRunTimeout', async () => {
    const began = Date.now();
    const run = await start(
      h,
      pipelineRun(
        'pipeline-timeout',
        {
          tasks: [
            { name: 'long', taskSpec: { steps: [{ name: 'nap', image: 'alpine', script: 'sleep 8' }] } },
            {
              name: 'next',
              runAfter: ['long'],
              taskSpec: { steps: [{ name: 'never', image: 'alpine', script: 'echo never' }] },
            },
          ],
        },
        { timeouts: { pipeline: '2s' } },
      ),
    );
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.completedAt).not.toBeNull();
    expect(Date.now() - began).toBeLessThan(7000);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('PipelineRunTimeout');
    const long = await child(h, run.id, 'long');
    expect(['cancelled', 'failed']).toContain(long.state);
    expect(done.status.childReferences!.map((c) => c.pipelineTaskName)).toEqual(['long']);
  });

  it('timeouts.tasks stops the tasks section, and finally still runs', async () => {
    const run = await start(
      h,
      pipelineRun(
        'tasks-timeout',
        {
          tasks: [{ name: 'long', taskSpec: { steps: [{ name: 'nap', image: 'alpine', script: 'sleep 5' }] } }],
          finally: [
            { name: 'fin', taskSpec: { steps: [{ name: 'say', image: 'alpine', script: 'echo finally ran' }] } },
          ],
        },
        { timeouts: { pipeline: '1m', tasks: '1s' } },
      ),
    );
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.conditionStatus).toBe('False');
    expect((await child(h, run.id, 'long')).status.conditions[0].reason).toBe('TaskRunTimeout');
    const fin = await child(h, run.id, 'fin');
    expect(fin.state).toBe('succeeded');
    expect(await logLines(h, fin.id)).toContain('finally ran');
  });
});
