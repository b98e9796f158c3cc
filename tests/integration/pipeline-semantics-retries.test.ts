import { describe, expect, it } from 'vitest';
import { child, children, logLines, pipelineRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

describe('retries', () => {
  it('retries a task that fails on attempt 0 and succeeds on attempt 1, keeping the retry history', async () => {
    const run = await start(
      h,
      pipelineRun('retry-once', {
        tasks: [
          {
            name: 'flaky',
            retries: 2,
            taskSpec: {
              steps: [
                {
                  name: 'try',
                  image: 'alpine',
                  script: 'echo "attempt $(context.task.retry-count)"\n[ "$(context.task.retry-count)" = "1" ]',
                },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const flaky = await child(h, run.id, 'flaky');
    expect(flaky.name).toBe('retry-once-flaky');
    expect(flaky.state).toBe('succeeded');
    expect(flaky.attempt).toBe(1);
    expect(flaky.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(flaky.status.retriesStatus).toHaveLength(1);
    expect(flaky.status.retriesStatus![0].conditions[0]).toMatchObject({ status: 'False', reason: 'Failed' });
    expect(await logLines(h, flaky.id)).toContain('attempt 1');
  });

  it('a task that always fails with retries: 2 ends Failed after 3 attempts', async () => {
    const run = await start(
      h,
      pipelineRun('retry-never', {
        tasks: [
          {
            name: 'broken',
            retries: 2,
            taskSpec: {
              steps: [{ name: 'fail', image: 'alpine', script: 'echo "try $(context.task.retry-count)"\nexit 7' }],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionStatus).toBe('False');
    expect(done.conditionReason).toBe('Failed');
    expect(done.status.conditions[0].message).toBe('Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0');
    const rows = await children(h, run.id);
    expect(rows).toHaveLength(1);
    const broken = rows[0];
    expect(broken.state).toBe('failed');
    expect(broken.attempt).toBe(2);
    expect(broken.status.retriesStatus).toHaveLength(2);
    expect(broken.status.retriesStatus!.every((s) => s.conditions[0].status === 'False')).toBe(true);
    expect(broken.status.steps![0].terminated!.exitCode).toBe(7);
    expect(await logLines(h, broken.id)).toContain('try 2');
  });

  it('a retry starts from fresh folders: a result written by the failed attempt does not leak into the next', async () => {
    const run = await start(
      h,
      pipelineRun('retry-fresh', {
        tasks: [
          {
            name: 'f',
            retries: 1,
            taskSpec: {
              results: [{ name: 'r' }],
              steps: [
                {
                  name: 's',
                  image: 'alpine',
                  script:
                    'if [ "$(context.task.retry-count)" = "0" ]; then printf stale > $(results.r.path); exit 1; fi\necho second attempt',
                },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Succeeded');
    const f = await child(h, run.id, 'f');
    expect(f.status.results).toEqual([]);
    // The failed attempt keeps what it wrote, in its own history entry.
    expect(f.status.retriesStatus![0].results).toEqual([{ name: 'r', type: 'string', value: 'stale' }]);
  });
});
