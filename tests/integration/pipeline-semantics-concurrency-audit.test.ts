import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { apply, getRun, useHarness } from './pipeline-semantics-support';

const h = useHarness();

const cancelRows = (h2: typeof h, run: string) =>
  h2.t.handle.db
    .select({ actor: auditLog.actor, via: auditLog.via, result: auditLog.result, details: auditLog.details })
    .from(auditLog)
    .where(and(eq(auditLog.action, 'pipelinerun.cancel'), eq(auditLog.target, `pipelinerun/${run}`)));

describe('concurrency groups: audit', () => {
  it('each run a cancel-in-progress start cancels has its own pipelinerun.cancel row, by who started the new run', async () => {
    const cip = { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-strategy': 'cancel-in-progress' };
    await apply(h, pipeline('aud', { 'keelson.dev/concurrency': '1' }, 20));
    const { runs: first } = await apply(h, [runOf('aud', 'aud-a'), runOf('aud', 'aud-b')]);
    expect((await getRun(h, first[1].id)).conditionReason).toBe('Queued');
    expect(await cancelRows(h, 'aud-a')).toEqual([]);
    const doc = runOf('aud', 'aud-c');
    await apply(h, { ...doc, metadata: { ...doc.metadata, annotations: cip } });
    for (const cancelled of ['aud-a', 'aud-b'])
      expect(await cancelRows(h, cancelled)).toEqual([
        {
          actor: 'ci',
          via: 'api',
          result: 'success',
          details: { reason: 'cancel-in-progress', replacedBy: 'aud-c' },
        },
      ]);
    // The run that replaced them is not cancelled, and has no such row.
    expect(await cancelRows(h, 'aud-c')).toEqual([]);
  });
});
