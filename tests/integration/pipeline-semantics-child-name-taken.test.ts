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
 * Pipelines in Pipelines, names taken before the parent got there: a child PipelineRun is `<parent>-<task>` (with a
 * random suffix when a PipelineRun already holds that name), and when it cannot be created its task fails through a
 * TaskRun row of that name. Each run below ends (it used to start the task again at every reconcile when that row
 * could not be stored either).
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
  it('by a PipelineRun made before the parent existed: the child gets a suffixed name, linked by parent and task', async () => {
    // Run names are unique across projects: anyone could take "<parent>-<task>" ahead of the parent (review F9).
    const squatter = (await apply(h, pipelineRun('taken-scans', { tasks: [{ name: 'x', taskSpec: step }] }))).runs[0];
    const run = await start(h, pipelineRun('taken', nested('scans')));
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.conditionReason).toBe('Succeeded');
    const kids = await h.ed.stores.runs.childrenOf(run.id);
    expect(kids.map((k) => k.parentTask)).toEqual(['scans']);
    expect(kids[0].name).toMatch(/^taken-scans-[a-z0-9]{5}$/);
    expect(kids[0].conditionReason).toBe('Succeeded');
    expect(done.status.childReferences).toContainEqual(
      expect.objectContaining({ kind: 'PipelineRun', name: kids[0].name, pipelineTaskName: 'scans' }),
    );
    // The squatting run is left as it was, no child of anything.
    expect(await h.ed.stores.runs.findByName('taken-scans')).toMatchObject({ id: squatter.id, parentRunId: null });
  }, 30_000);

  it('whose creation fails and whose failure row a standalone TaskRun holds: the task fails under a suffixed name', async () => {
    expect((await runTaskRun(h, standaloneTaskRun('squat-scans'))).row.state).toBe('succeeded');
    await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'squat-inner' },
      spec: nested('x').tasks[0].pipelineSpec,
    });
    const run = await start(
      h,
      pipelineRun('squat', {
        tasks: [
          { name: 'first', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'sleep 2' }] } },
          { name: 'scans', pipelineRef: { name: 'squat-inner' }, runAfter: ['first'] },
        ],
      }),
    );
    // Changed after the parent was applied: the child can no longer be created (a param it is not given).
    await apply(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'squat-inner' },
      spec: { ...nested('x').tasks[0].pipelineSpec, params: [{ name: 'needed', type: 'string' }] },
    });
    const done = await waitForRun(h, run.id, 15_000);
    expect(done.completedAt).not.toBeNull();
    expect(done.conditionReason).toBe('Failed');
    // Recorded as a TaskRun of the run under `<run>-<task>-<suffix>`, as free-task-run-names.ts names TaskRuns.
    const failed = await child(h, run.id, 'scans');
    expect(failed.name).toMatch(/^squat-scans-[a-z0-9]{5}$/);
    expect(failed.status.conditions[0].reason).toBe('CouldntCreateChildPipelineRun');
    expect(failed.status.conditions[0].message).toContain('needed');
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
