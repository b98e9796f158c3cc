import { inArray, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pipelineRuns } from '../../lib/adapters/db/schema';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { reconcilePipelineRun } from '../../lib/server/pipeline/reconcile-pipeline-run';
import { apply, useHarness } from './pipeline-semantics-support';

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
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${'concurrency:default/lo-c/main'}))`);
      const reconcile = reconcilePipelineRun(h.ed, id).then(() => (reconciled = true));
      await new Promise((r) => setTimeout(r, 500));
      expect(reconciled).toBe(false);
      // The waiting reconcile holds no lock on the run's row: the settle can still write it (no deadlock).
      await tx.execute(sql`select id from pipeline_runs where id = ${id} for update nowait`);
      void reconcile;
    });
    await expect.poll(() => reconciled, { timeout: 10_000 }).toBe(true);
  });
});
