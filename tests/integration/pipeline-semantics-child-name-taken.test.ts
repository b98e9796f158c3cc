import { describe, expect, it } from 'vitest';
import {
  apply,
  child,
  pipelineRun,
  rejection,
  runTaskRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

/**
 * Pipelines in Pipelines, names taken before the parent got there: a child PipelineRun is `<parent>-<task>`, and
 * when it cannot be created its task fails through a TaskRun row of that name. Each run below ends (it used to
 * start the task again at every reconcile when that row could not be stored either).
 */
const h = useHarness();

const step = { steps: [{ name: 's', image: 'alpine', script: 'echo ok' }] };
const nested = (task: string) => ({
  tasks: [{ name: task, pipelineSpec: { tasks: [{ name: 'lint', taskSpec: step }] } }],
});
const standaloneTaskRun = (name: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name },
  spec: { taskSpec: step },
});

describe('a child PipelineRun whose name is taken', () => {
  it('by a PipelineRun: its task fails with CouldntCreateChildPipelineRun naming it, and the run ends Failed', async () => {
    await apply(h, pipelineRun('taken-scans', { tasks: [{ name: 'x', taskSpec: step }] }));
    const run = await start(h, pipelineRun('taken', nested('scans')));
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.conditionStatus).toBe('False');
    const failed = await child(h, run.id, 'scans');
    expect(failed.status.conditions[0]).toMatchObject({
      reason: 'CouldntCreateChildPipelineRun',
      message: 'A PipelineRun named "taken-scans" already exists.',
    });
  }, 30_000);

  it('by a PipelineRun and a standalone TaskRun: the run ends Failed, saying why and what to do', async () => {
    expect((await runTaskRun(h, standaloneTaskRun('squat-scans'))).row.state).toBe('succeeded');
    await apply(h, pipelineRun('squat-scans', { tasks: [{ name: 'x', taskSpec: step }] }));
    const run = await start(h, pipelineRun('squat', nested('scans')));
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.completedAt).not.toBeNull();
    expect(done.conditionReason).toBe('Failed');
    expect(done.status.conditions[0].message).toBe(
      'pipeline task "scans" could not start its child PipelineRun (A PipelineRun named "squat-scans" already exists.) and its failure cannot be recorded: the TaskRun name "squat-scans" is taken by a TaskRun outside this PipelineRun. Delete that TaskRun, or start the run under another name.',
    );
    // The squatting TaskRun is left as it was.
    expect(await h.ed.stores.taskRuns.findByName('squat-scans')).toMatchObject({
      state: 'succeeded',
      pipelineRunId: null,
    });
  }, 30_000);

  it('by a standalone TaskRun only: the child PipelineRun is created (names of PipelineRuns and TaskRuns are apart)', async () => {
    await runTaskRun(h, standaloneTaskRun('apart-scans'));
    const run = await start(h, pipelineRun('apart', nested('scans')));
    expect((await waitForRun(h, run.id, 15_000)).conditionStatus).toBe('True');
  }, 30_000);

  it("a PipelineRun may not take a run's child name ahead of it (as a standalone TaskRun may not)", async () => {
    const run = await start(
      h,
      pipelineRun('holder', {
        tasks: [
          { name: 'first', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'sleep 2' }] } },
          { ...nested('scans').tasks[0], runAfter: ['first'] },
        ],
      }),
    );
    const err = await rejection(apply(h, pipelineRun('holder-scans', { tasks: [{ name: 'x', taskSpec: step }] })));
    expect(err).toMatchObject({
      status: 409,
      message:
        'A PipelineRun may not be named "holder-scans": it is a name PipelineRun "holder" gives its tasks\' runs.',
    });
    expect((await waitForRun(h, run.id, 15_000)).conditionStatus).toBe('True');
    expect(await h.ed.stores.runs.findByName('holder-scans')).toMatchObject({ parentRunId: run.id });
  }, 30_000);
});
