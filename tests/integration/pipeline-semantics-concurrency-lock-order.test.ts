import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createPipelineRunStore } from '../../lib/adapters/db/pipeline-run-store';
import { pipelineRuns } from '../../lib/adapters/db/schema';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { ZPipelineRun } from '../../lib/domain/pipeline/spec-schemas';
import { createPipelineRun } from '../../lib/server/pipeline/create-pipeline-run';
import { reconcilePipelineRun } from '../../lib/server/pipeline/reconcile-pipeline-run';
import { settleNewRuns } from '../../lib/server/pipeline/settle-new-runs';
import { apply, getRun, useHarness } from './pipeline-semantics-support';

const h = useHarness();

describe('concurrency groups: lock order', () => {
  it('two applies creating runs of two groups in opposite orders, at once, both succeed (no deadlock)', async () => {
    await apply(h, [
      pipeline('lo-a', { 'keelson.dev/concurrency': '1' }),
      pipeline('lo-b', { 'keelson.dev/concurrency': '1' }),
    ]);
    const names: string[] = [];
    for (let round = 0; round < 6; round++) {
      const ab = [runOf('lo-a', `lo-a-${round}-1`), runOf('lo-b', `lo-b-${round}-1`)];
      const ba = [runOf('lo-b', `lo-b-${round}-2`), runOf('lo-a', `lo-a-${round}-2`)];
      names.push(...[...ab, ...ba].map((d) => d.metadata.name));
      // Before the fix, one of the two failed now and then with "deadlock detected" (40P01).
      const outcomes = await Promise.allSettled([apply(h, ab), apply(h, ba)]);
      expect(
        outcomes.map((o) => (o.status === 'rejected' ? `${o.reason} ${(o.reason as Error).cause ?? ''}` : 'ok')),
      ).toEqual(['ok', 'ok']);
    }
    const rows = await h.t.handle.db
      .select({ name: pipelineRuns.name, group: pipelineRuns.concurrencyGroup, started: pipelineRuns.startedAt })
      .from(pipelineRuns)
      .where(inArray(pipelineRuns.name, names));
    expect(rows).toHaveLength(names.length);
    // Each group admitted exactly one of its runs; the rest wait in the queue.
    for (const group of ['default/lo-a/main', 'default/lo-b/main'])
      expect(rows.filter((r) => r.group === group && r.started !== null)).toHaveLength(1);
  }, 120_000);

  it("a reconcile takes its run's group lock before the run's row lock (as the group's settle does)", async () => {
    await apply(h, pipeline('lo-c', { 'keelson.dev/concurrency': '1' }));
    const { runs } = await apply(h, runOf('lo-c', 'lo-c-1'));
    const id = runs[0].id;
    let reconciled = false;
    await h.t.handle.db.transaction(async (tx) => {
      // Holding the group's lock, as a settle does before it writes the group's rows.
      await createPipelineRunStore(tx).lockGroup('default/lo-c/main');
      const reconcile = reconcilePipelineRun(h.ed, id).then(() => (reconciled = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(reconciled).toBe(false);
      // The waiting reconcile holds no lock on the run's row: the settle can still write it (no deadlock).
      await tx.execute(sql`select id from pipeline_runs where id = ${id} for update nowait`);
      void reconcile;
    });
    await expect.poll(() => reconciled, { timeout: 10_000 }).toBe(true);
  });

  it('a run queues in the order it joined its group under the lock, not by a creation time taken before it', async () => {
    await apply(h, pipeline('lo-d', { 'keelson.dev/concurrency': '1' }));
    const message = async (id: string) =>
      ((await getRun(h, id)).status as { conditions: { message: string }[] }).conditions[0].message;
    let slow = '';
    const others: string[] = [];
    await h.ed.stores.transaction(async (tx) => {
      // Created first (the older creation time), but its transaction reaches the group's lock last.
      const doc = ZPipelineRun.parse(runOf('lo-d', 'lo-d-slow'));
      slow = (await createPipelineRun(tx, doc, 'ci', new Date(Date.now() - 60_000))).id;
      for (const name of ['lo-d-1', 'lo-d-2']) others.push((await apply(h, runOf('lo-d', name))).runs[0].id);
      await settleNewRuns(tx, [slow], new Date(), h.me);
    });
    expect((await getRun(h, others[0])).startedAt).not.toBeNull();
    expect(await message(others[1])).toBe('Waiting for lo-d-1 (group lo-d/main, 1 at a time)');
    expect(await message(slow)).toBe('Waiting for lo-d-1 (group lo-d/main, 1 at a time); behind lo-d-2 in the queue');
  });
});
