import { describe, expect, it } from 'vitest';
import { cancelPipelineRun } from '../../lib/server/pipeline/cancel-pipeline-run';
import { deletePipelineRun } from '../../lib/server/pipeline/delete-pipeline-run';
import { pipeline, runOf } from './pipeline-concurrency-support';
import {
  apply,
  children,
  getRun,
  rejection,
  start,
  useHarness,
  waitForRun,
  waitForTask,
} from './pipeline-semantics-support';

const h = useHarness();

type Row = Awaited<ReturnType<typeof getRun>>;
const condition = (run: Row) => (run.status as { conditions: { reason: string; message: string }[] }).conditions[0];
const startTime = (run: Row) => (run.status as { startTime?: string }).startTime;

/** The start and end of the run's only TaskRun. */
async function span(runId: string): Promise<{ start: number; end: number }> {
  const [tr] = await children(h, runId);
  return { start: tr.startedAt!.getTime(), end: tr.completedAt!.getTime() };
}

/** No two spans overlap: each starts after the one before it ended. */
function expectOneAtATime(spans: { start: number; end: number }[]) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
}

describe('concurrency groups: queue', () => {
  it('N=1: a second run waits, says for what, and runs after the first; three keep their order', async () => {
    await apply(h, pipeline('q1', { 'keelson.dev/concurrency': '1' }));
    const a = await start(h, runOf('q1', 'q1-a'));
    const b = await start(h, runOf('q1', 'q1-b'));
    const c = await start(h, runOf('q1', 'q1-c'));
    const queuedB = await getRun(h, b.id);
    expect(queuedB.conditionStatus).toBe('Unknown');
    expect(queuedB.conditionReason).toBe('Queued');
    expect(condition(queuedB).message).toBe('Waiting for q1-a (group q1/main, 1 at a time)');
    expect(queuedB.startedAt).toBeNull();
    expect(startTime(queuedB)).toBeUndefined();
    expect(await children(h, b.id)).toEqual([]);
    expect(condition(await getRun(h, c.id)).message).toBe(
      'Waiting for q1-a (group q1/main, 1 at a time); behind q1-b in the queue',
    );
    // The runs list's status filter: queued runs are under Queued, not Running.
    const named = async (status: string) =>
      (await h.ed.stores.runs.keys({ pipeline: 'q1', status })).map((k) => k.name).sort();
    expect(await named('Queued')).toEqual(['q1-b', 'q1-c']);
    expect(await named('Running')).toEqual(['q1-a']);
    for (const r of [a, b, c]) expect((await waitForRun(h, r.id)).conditionReason).toBe('Succeeded');
    const spans = await Promise.all([a, b, c].map((r) => span(r.id)));
    expect(spans[1].start).toBeGreaterThanOrEqual(spans[0].end);
    expect(spans[2].start).toBeGreaterThanOrEqual(spans[1].end);
    // Admitted runs start with a startTime of their own, after the one before them ended.
    const doneB = await getRun(h, b.id);
    expect(doneB.startedAt!.getTime()).toBeGreaterThanOrEqual(spans[0].end);
    expect(startTime(doneB)).toBe(doneB.startedAt!.toISOString());
  });

  it('N=2: two run at once, the third waits for both', async () => {
    await apply(h, pipeline('q2', { 'keelson.dev/concurrency': '2' }, 2));
    const runs = [];
    for (const n of ['q2-a', 'q2-b', 'q2-c']) runs.push(await start(h, runOf('q2', n)));
    const third = await getRun(h, runs[2].id);
    expect(third.conditionReason).toBe('Queued');
    expect(condition(third).message).toBe('Waiting for q2-a, q2-b (group q2/main, 2 at a time)');
    expect((await getRun(h, runs[1].id)).conditionReason).not.toBe('Queued');
    for (const r of runs) expect((await waitForRun(h, r.id)).conditionReason).toBe('Succeeded');
    const [sa, sb, sc] = await Promise.all(runs.map((r) => span(r.id)));
    // a and b overlapped; c started only once one of them had ended.
    expect(sb.start).toBeLessThan(sa.end);
    expect(sc.start).toBeGreaterThanOrEqual(Math.min(sa.end, sb.end));
  });

  it('different keys do not block each other', async () => {
    await apply(h, pipeline('qk', { 'keelson.dev/concurrency': '1' }));
    const main = await start(h, runOf('qk', 'qk-main', 'main'));
    const dev = await start(h, runOf('qk', 'qk-dev', 'dev'));
    expect((await getRun(h, dev.id)).conditionReason).not.toBe('Queued');
    expect((await getRun(h, dev.id)).concurrencyGroup).toBe('default/qk/dev');
    for (const r of [main, dev]) expect((await waitForRun(h, r.id)).conditionReason).toBe('Succeeded');
    const [sm, sd] = await Promise.all([span(main.id), span(dev.id)]);
    expect(sd.start).toBeLessThan(sm.end);
  });

  it('a queued run that is cancelled ends Cancelled without running, and the next one runs after the first', async () => {
    await apply(h, pipeline('qc', { 'keelson.dev/concurrency': '1' }));
    const a = await start(h, runOf('qc', 'qc-a'));
    const b = await start(h, runOf('qc', 'qc-b'));
    const c = await start(h, runOf('qc', 'qc-c'));
    await cancelPipelineRun(h.control(), h.me, 'qc-b', 'CancelledRunFinally');
    await h.engine.advance(b.id);
    const cancelled = await getRun(h, b.id);
    expect(cancelled.conditionStatus).toBe('False');
    expect(cancelled.conditionReason).toBe('Cancelled');
    expect(await children(h, b.id)).toEqual([]);
    // c now waits for a only, no longer behind b.
    await h.engine.advance(c.id);
    expect(condition(await getRun(h, c.id)).message).toBe('Waiting for qc-a (group qc/main, 1 at a time)');
    for (const r of [a, c]) expect((await waitForRun(h, r.id)).conditionReason).toBe('Succeeded');
    const [sa, sc] = await Promise.all([span(a.id), span(c.id)]);
    expect(sc.start).toBeGreaterThanOrEqual(sa.end);
  });

  it('a queued run can be deleted: it leaves the queue; a running one cannot', async () => {
    await apply(h, pipeline('qd', { 'keelson.dev/concurrency': '1' }, 20));
    const a = await start(h, runOf('qd', 'qd-a'));
    const b = await start(h, runOf('qd', 'qd-b'));
    const c = await start(h, runOf('qd', 'qd-c'));
    expect(condition(await getRun(h, c.id)).message).toContain('behind qd-b in the queue');
    await deletePipelineRun(h.control(), h.me, 'qd-b');
    expect(await getRun(h, b.id)).toBeUndefined();
    expect(condition(await getRun(h, c.id)).message).toBe('Waiting for qd-a (group qd/main, 1 at a time)');
    const refused = await rejection(deletePipelineRun(h.control(), h.me, 'qd-a'));
    expect(refused.status).toBe(409);
    for (const name of ['qd-c', 'qd-a']) await cancelPipelineRun(h.control(), h.me, name, 'Cancelled');
    for (const r of [a, c]) expect((await waitForRun(h, r.id)).conditionReason).toBe('Cancelled');
    expect(await children(h, c.id)).toEqual([]);
  });

  it("a run held by Tekton's PipelineRunPending takes no slot", async () => {
    await apply(h, pipeline('qp', { 'keelson.dev/concurrency': '1' }, 0.2));
    const held = await start(h, runOf('qp', 'qp-held', 'main', { status: 'PipelineRunPending' }));
    const next = await start(h, runOf('qp', 'qp-next'));
    const heldRow = await getRun(h, held.id);
    expect(heldRow.conditionReason).toBe('PipelineRunPending');
    expect(heldRow.concurrencyGroup).toBeNull();
    expect((await getRun(h, next.id)).conditionReason).not.toBe('Queued');
    expect((await waitForRun(h, next.id)).conditionReason).toBe('Succeeded');
    await cancelPipelineRun(h.control(), h.me, 'qp-held', 'Cancelled');
    expect((await waitForRun(h, held.id)).conditionReason).toBe('Cancelled');
  });

  it('a failed or cancelled running run frees its slot too', async () => {
    await apply(h, pipeline('qf', { 'keelson.dev/concurrency': '1' }, 30));
    const a = await start(h, runOf('qf', 'qf-a'));
    const b = await start(h, runOf('qf', 'qf-b', 'main', { timeouts: { pipeline: '2s' } }));
    const c = await start(h, runOf('qf', 'qf-c'));
    await cancelPipelineRun(h.control(), h.me, 'qf-a', 'Cancelled');
    await h.engine.advance(a.id);
    expect((await getRun(h, a.id)).conditionReason).toBe('Cancelled');
    // b was admitted when a ended (as its job would, the test reconciles it now); its 2s timeout counts from then.
    expect((await getRun(h, b.id)).startedAt).not.toBeNull();
    await h.engine.advance(b.id);
    const doneB = await waitForRun(h, b.id);
    expect(doneB.conditionReason).toBe('PipelineRunTimeout');
    expect((await children(h, b.id)).length).toBe(1);
    // The timeout freed the slot for c.
    await cancelPipelineRun(h.control(), h.me, 'qf-c', 'Cancelled');
    const doneC = await waitForRun(h, c.id);
    expect(doneC.startedAt).not.toBeNull();
    expect(doneC.startedAt!.getTime()).toBeGreaterThanOrEqual(doneB.completedAt!.getTime());
  });

  it("a queued run's pipeline timeout does not tick while it waits", async () => {
    await apply(h, pipeline('qt', { 'keelson.dev/concurrency': '1' }, 3));
    const a = await start(h, runOf('qt', 'qt-a'));
    const b = await start(h, runOf('qt', 'qt-b', 'main', { timeouts: { pipeline: '2s' } }));
    expect((await waitForRun(h, a.id)).conditionReason).toBe('Succeeded');
    // b waited about 3s (over its 2s timeout), then started its 3s task, which the timeout cut short.
    const doneB = await waitForRun(h, b.id);
    expect(doneB.conditionReason).toBe('PipelineRunTimeout');
    expect(await children(h, b.id)).toHaveLength(1);
    const waited = doneB.startedAt!.getTime() - doneB.createdAt.getTime();
    expect(waited).toBeGreaterThan(2000);
    // The timeout counted from admission: it fired about 2s after b started, not at once.
    expect(doneB.completedAt!.getTime() - doneB.startedAt!.getTime()).toBeGreaterThanOrEqual(1900);
  });

  it('runs started in parallel by different requests run one at a time (N=1)', async () => {
    await apply(h, pipeline('race', { 'keelson.dev/concurrency': '1' }, 0.5));
    const applied = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        apply(h, runOf('race', `race-${i}`)).then((r) => r.runs.find((x) => x.kind === 'PipelineRun')!),
      ),
    );
    const rows = await Promise.all(applied.map((r) => getRun(h, r.id)));
    expect(rows.filter((r) => r.startedAt !== null)).toHaveLength(1);
    expect(rows.filter((r) => r.conditionReason === 'Queued')).toHaveLength(4);
    for (const r of applied) void h.engine.advance(r.id);
    for (const r of applied) expect((await waitForRun(h, r.id, 150_000)).conditionReason).toBe('Succeeded');
    const spans = await Promise.all(applied.map((r) => span(r.id)));
    expectOneAtATime(spans);
    // Oldest first: the runs start in the order they joined the group under its lock (concurrency_seq, 1 to 5), which
    // for parallel requests need not be their creation order (creation times are taken before the lock).
    const done = await Promise.all(applied.map((r) => getRun(h, r.id)));
    const byStart = [...done].sort((x, y) => x.startedAt!.getTime() - y.startedAt!.getTime());
    expect(byStart.map((r) => r.concurrencySeq)).toEqual([1, 2, 3, 4, 5]);
  }, 400_000);
});

describe('concurrency groups: cancel-in-progress', () => {
  it('a new run cancels the older running run, naming itself, and starts at once', async () => {
    await apply(
      h,
      pipeline('cip', { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-strategy': 'cancel-in-progress' }, 20),
    );
    const a = await start(h, runOf('cip', 'cip-a'));
    const b = await start(h, runOf('cip', 'cip-b'));
    expect((await getRun(h, b.id)).startedAt).not.toBeNull();
    const doneA = await waitForRun(h, a.id);
    expect(doneA.conditionStatus).toBe('False');
    expect(doneA.conditionReason).toBe('Cancelled');
    expect(doneA.status.conditions[0].message).toBe(
      'PipelineRun "cip-a" was cancelled: the newer run "cip-b" of group cip/main replaced it (cancel-in-progress)',
    );
    const [taskA] = await waitForTask(h, a.id, 'work', ['cancelled', 'failed', 'succeeded']);
    expect(taskA.state).toBe('cancelled');
    await cancelPipelineRun(h.control(), h.me, 'cip-b', 'Cancelled');
    expect((await waitForRun(h, b.id)).conditionReason).toBe('Cancelled');
  });

  it('a cancel-in-progress run cancels the queued runs of its group too, and the running one', async () => {
    await apply(h, pipeline('mix', { 'keelson.dev/concurrency': '1' }, 20));
    const a = await start(h, runOf('mix', 'mix-a'));
    const b = await start(h, runOf('mix', 'mix-b'));
    expect((await getRun(h, b.id)).conditionReason).toBe('Queued');
    const doc = runOf('mix', 'mix-c');
    const own = { 'keelson.dev/concurrency-strategy': 'cancel-in-progress' };
    const c = await start(h, { ...doc, metadata: { ...doc.metadata, annotations: own } });
    expect((await getRun(h, c.id)).startedAt).not.toBeNull();
    for (const [r, name] of [
      [a, 'mix-a'],
      [b, 'mix-b'],
    ] as const) {
      const done = await waitForRun(h, r.id);
      expect(done.conditionReason).toBe('Cancelled');
      expect(done.status.conditions[0].message).toBe(
        `PipelineRun "${name}" was cancelled: the newer run "mix-c" of group mix/main replaced it (cancel-in-progress)`,
      );
    }
    expect(await children(h, b.id)).toEqual([]);
    await cancelPipelineRun(h.control(), h.me, 'mix-c', 'Cancelled');
    expect((await waitForRun(h, c.id)).conditionReason).toBe('Cancelled');
  });

  it("a PipelineRun's own annotations override the Pipeline's", async () => {
    await apply(h, pipeline('ovr', { 'keelson.dev/concurrency': '1' }, 0.2));
    const own = { 'keelson.dev/concurrency-strategy': 'cancel-in-progress', 'keelson.dev/concurrency-key': 'fixed' };
    const doc = runOf('ovr', 'ovr-a');
    const a = await start(h, { ...doc, metadata: { ...doc.metadata, annotations: own } });
    const row = await getRun(h, a.id);
    expect(row.concurrencyGroup).toBe('default/ovr/fixed');
    expect(row.concurrencyStrategy).toBe('cancel-in-progress');
    expect((await waitForRun(h, a.id)).conditionReason).toBe('Succeeded');
  });
});
