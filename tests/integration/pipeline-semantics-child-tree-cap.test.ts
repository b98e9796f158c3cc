import { eq, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import { MAX_PIPELINE_RUNS_IN_TREE } from '../../lib/domain/pipeline/child-pipeline-run';
import { start, storePipelines, useHarness, waitForRun, type TaskRunStatus } from './pipeline-semantics-support';

const h = useHarness();

/** Every PipelineRun of the tree under `rootId`, the root included, by the parent links. */
async function tree(rootId: string): Promise<string[]> {
  const ids = [rootId];
  for (let level = [rootId]; level.length > 0;) {
    const rows = await h.t.handle.db.select().from(pipelineRuns).where(inArray(pipelineRuns.parentRunId, level));
    level = rows.map((r) => r.id);
    ids.push(...level);
  }
  return ids;
}

it(`a run tree stops at ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns: the pipeline tasks that would start more fail instead`, async () => {
  // Stored past apply (which refuses this shape): tree-a runs 10 × tree-b, each running 10 × tree-leaf,
  // 1 + 10 + 100 = 111 runs; the leaf's one task is skipped (no process).
  const leaf = {
    tasks: [
      {
        name: 'skipped',
        when: [{ input: 'a', operator: 'in', values: ['b'] }],
        taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] },
      },
    ],
  };
  const wide = (next: string) => ({
    tasks: Array.from({ length: 10 }, (_, i) => ({ name: `t${i}`, pipelineRef: { name: next } })),
  });
  await storePipelines(h, { 'tree-a': wide('tree-b'), 'tree-b': wide('tree-leaf'), 'tree-leaf': leaf });
  const run = await start(h, {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'tree' },
    spec: { pipelineRef: { name: 'tree-a' } },
  });
  const done = await waitForRun(h, run.id, 150_000);
  expect(done.conditionReason).toBe('Failed');
  const ids = await tree(run.id);
  expect(ids).toHaveLength(MAX_PIPELINE_RUNS_IN_TREE);
  // The 11 leaves that did not fit: a failed TaskRun each in their place, saying why.
  const refused = (await h.t.handle.db.select().from(taskRuns).where(inArray(taskRuns.pipelineRunId, ids))).filter(
    (r) => r.state === 'failed',
  );
  expect(refused).toHaveLength(11);
  for (const r of refused)
    expect((r.status as unknown as TaskRunStatus).conditions[0]).toMatchObject({
      reason: 'PipelineNestingRefused',
      message: expect.stringContaining(`beyond the ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns one run tree may hold`),
    });
  const [root] = await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.id, run.id));
  expect(root.completedAt).not.toBeNull();
}, 200_000);
