import { describe, expect, it } from 'vitest';
import { createLocalExecutor } from '../../lib/adapters/executors/local';
import { createPipelineEngine, type PipelineEngine } from '../../lib/server/pipeline/pipeline-engine';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { apply, children, getRun, useHarness } from './pipeline-semantics-support';
import { testLocalHost } from './support/local-host';

const h = useHarness();

/** A second worker on the same database: its own engine, slots and lease owner. */
function secondWorker(): PipelineEngine {
  return createPipelineEngine({
    ed: h.ed,
    store: h.ed.stores.taskRuns,
    executor: createLocalExecutor(testLocalHost),
    owner: 'second-worker',
    concurrency: 4,
    enqueue: async () => undefined,
    log: () => undefined,
  });
}

describe('concurrency groups with two workers', () => {
  it('two workers reconciling the same group at once still run one at a time, in creation order', async () => {
    await apply(h, pipeline('two', { 'keelson.dev/concurrency': '1' }, 0.4));
    const other = secondWorker();
    const runs = [];
    for (const i of [1, 2, 3, 4]) {
      const { runs: started } = await apply(h, runOf('two', `two-${i}`));
      runs.push(started.find((r) => r.kind === 'PipelineRun')!);
    }
    // Both workers take every run, as the job queue and their ticks would hand them out, concurrently.
    const deadline = Date.now() + 240_000;
    for (;;) {
      const rows = await Promise.all(runs.map((r) => getRun(h, r.id)));
      if (rows.every((r) => r.completedAt) || Date.now() > deadline) break;
      await Promise.all([
        ...runs.map((r) => h.engine.advance(r.id)),
        ...runs.map((r) => other.advance(r.id)),
        h.engine.tick(),
        other.tick(),
      ]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const done = await Promise.all(runs.map((r) => getRun(h, r.id)));
    for (const r of done) expect(r.conditionReason).toBe('Succeeded');
    const spans = await Promise.all(
      done.map(async (r) => {
        const [tr] = await children(h, r.id);
        return { name: r.name, start: tr.startedAt!.getTime(), end: tr.completedAt!.getTime() };
      }),
    );
    const byStart = [...spans].sort((a, b) => a.start - b.start);
    expect(byStart.map((s) => s.name)).toEqual(['two-1', 'two-2', 'two-3', 'two-4']);
    for (let i = 1; i < byStart.length; i++) expect(byStart[i].start).toBeGreaterThanOrEqual(byStart[i - 1].end);
    // Each run ran its one TaskRun once, though both workers reconciled it.
    expect((await Promise.all(done.map((r) => children(h, r.id)))).flat()).toHaveLength(4);
  }, 300_000);
});
