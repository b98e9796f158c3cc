import { createHmac, randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { triggerDeliveries } from '../../../lib/adapters/db/schema';
import { REJECTED_DELIVERIES_KEPT, STORED_HEADER_CHARS } from '../../../lib/server/webhooks/trigger-delivery-log';
import { receiveTriggerDelivery } from '../../../lib/server/webhooks/receive-trigger-delivery';
import { apply, useHarness } from '../pipeline-semantics-support';

/**
 * Anyone can POST to a known trigger's webhook URL. Every such POST stored a row, 401s included, with the
 * event and delivery id headers as sent (any length): an anonymous flood grew trigger_deliveries without
 * bound. Rejected rows are now bounded per trigger and header values are cut to a fixed length.
 */
const h = useHarness();
const SECRET = 'delivery-log-test-secret';

const yaml = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: noop }
spec:
  tasks:
    - name: t
      taskSpec: { steps: [{ name: s, image: alpine, script: 'true' }] }
---
{ apiVersion: v1, kind: Secret, metadata: { name: log-hook }, stringData: { token: ${SECRET} } }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: flooded }
spec: { pipelineRef: { name: noop }, provider: github, secretRef: { name: log-hook, key: token } }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: quiet }
spec: { pipelineRef: { name: noop }, provider: github, secretRef: { name: log-hook, key: token } }
`;

const rows = (trigger: string) =>
  h.t.handle.db.select().from(triggerDeliveries).where(eq(triggerDeliveries.trigger, trigger));
const unsigned = (i: number, pad = 0) => ({
  'x-github-event': `push${'e'.repeat(pad)}`,
  'x-github-delivery': `${i}-${'d'.repeat(pad)}`,
  'x-hub-signature-256': 'sha256=00',
});

function signed(body: string) {
  return {
    'x-github-event': 'push',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
  };
}

beforeAll(async () => {
  await apply(h, yaml);
});

it('500 unsigned posts leave at most the bound of rejected rows, the newest ones', async () => {
  const deps = h.control();
  for (let i = 0; i < 500; i++) {
    const res = await receiveTriggerDelivery(deps, h.ed.box, 'flooded', unsigned(i), '{}');
    expect(res.httpStatus).toBe(401);
  }
  const kept = await rows('flooded');
  expect(kept.length).toBeLessThanOrEqual(REJECTED_DELIVERIES_KEPT);
  expect(kept.length).toBeGreaterThan(0);
  // What is kept is the latest failures, for debugging a misconfigured secret.
  expect(kept.map((r) => r.deliveryId)).toContain('499-');
  expect(kept.map((r) => r.deliveryId)).not.toContain('0-');
  expect(kept.every((r) => r.outcome === 'rejected' && r.httpStatus === 401)).toBe(true);
});

it('concurrent unsigned posts stay within the bound too', async () => {
  const deps = h.control();
  await Promise.all(
    Array.from({ length: 150 }, (_, i) => receiveTriggerDelivery(deps, h.ed.box, 'flooded', unsigned(1000 + i), '{}')),
  );
  expect((await rows('flooded')).length).toBeLessThanOrEqual(REJECTED_DELIVERIES_KEPT);
});

it('stores event and delivery id headers cut to a fixed length', async () => {
  const res = await receiveTriggerDelivery(h.control(), h.ed.box, 'quiet', unsigned(7, 100_000), '{}');
  expect(res.httpStatus).toBe(401);
  const [row] = await rows('quiet');
  expect(row.event!.length).toBeLessThanOrEqual(STORED_HEADER_CHARS);
  expect(row.deliveryId!.length).toBeLessThanOrEqual(STORED_HEADER_CHARS);
  expect(row.event!.startsWith('pushee')).toBe(true);
});

it('a flood of rejected posts never removes the deliveries that started runs, nor another trigger’s rows', async () => {
  const deps = h.control();
  const body = JSON.stringify({ ref: 'refs/heads/main' });
  const started = await receiveTriggerDelivery(deps, h.ed.box, 'flooded', signed(body), body);
  expect(started.outcome).toBe('started');
  for (let i = 0; i < REJECTED_DELIVERIES_KEPT + 20; i++)
    await receiveTriggerDelivery(deps, h.ed.box, 'flooded', unsigned(2000 + i), '{}');
  const kept = await h.t.handle.db
    .select()
    .from(triggerDeliveries)
    .where(and(eq(triggerDeliveries.trigger, 'flooded'), inArray(triggerDeliveries.outcome, ['started'])));
  expect(kept.map((r) => r.runName)).toEqual([started.run!.name]);
  expect((await rows('quiet')).length).toBe(1);
});

it('replaying one captured signed delivery over and over keeps at most the bound of duplicate rows', async () => {
  const deps = h.control();
  const body = JSON.stringify({ ref: 'refs/heads/main', after: randomUUID() });
  const headers = signed(body);
  expect((await receiveTriggerDelivery(deps, h.ed.box, 'quiet', headers, body)).outcome).toBe('started');
  for (let i = 0; i < REJECTED_DELIVERIES_KEPT + 30; i++)
    expect((await receiveTriggerDelivery(deps, h.ed.box, 'quiet', headers, body)).outcome).toBe('duplicate');
  const duplicates = (await rows('quiet')).filter((r) => r.outcome === 'duplicate');
  expect(duplicates.length).toBe(REJECTED_DELIVERIES_KEPT);
});
