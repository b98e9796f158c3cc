import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { pipelineRuns, triggerDeliveries } from '../../../lib/adapters/db/schema';
import { cleanUpExpired } from '../../../lib/server/system/clean-up-expired';
import { receiveTriggerDelivery } from '../../../lib/server/webhooks/receive-trigger-delivery';
import { apply, child, logLines, useHarness, waitForRun } from '../pipeline-semantics-support';

/** Hole 11: replayed deliveries, rows for unknown triggers, payload values run as shell. */
const h = useHarness();
const SECRET = 'replay-test-webhook-secret';
const marker = path.join(os.tmpdir(), `keelson-injected-${process.pid}`);

const yaml = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: announce }
spec:
  params: [{ name: message }]
  tasks:
    - name: say
      params: [{ name: message, value: $(params.message) }]
      taskSpec:
        params: [{ name: message }]
        steps:
          - name: say
            image: alpine
            env: [{ name: MESSAGE, value: $(params.message) }]
            script: |
              printf 'message=%s\\n' "$MESSAGE"
---
{ apiVersion: v1, kind: Secret, metadata: { name: hook }, stringData: { token: ${SECRET} } }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: on-push }
spec:
  { pipelineRef: { name: announce }, provider: github, secretRef: { name: hook, key: token }, params: [{ name: message, value: $(body.head_commit.message) }] }
`;

function delivery(message: string, id = randomUUID()) {
  const body = JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: randomUUID(), message } });
  const headers = {
    'x-github-event': 'push',
    'x-github-delivery': id,
    'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
  };
  return { body, headers };
}

const send = (d: { body: string; headers: Record<string, string> }, trigger = 'on-push') =>
  receiveTriggerDelivery(h.control(), h.ed.box, trigger, d.headers, d.body);
const runCount = async () => (await h.t.handle.db.select({ id: pipelineRuns.id }).from(pipelineRuns)).length;

beforeAll(async () => {
  const res = await apply(h, yaml);
  expect(res.applied.map((a) => `${a.kind}/${a.name}`)).toEqual([
    'Pipeline/announce',
    'Secret/hook',
    'Trigger/on-push',
  ]);
});

it('starts one run for a delivery id, and answers a redelivery of it 200 "duplicate, ignored"', async () => {
  const before = await runCount();
  const d = delivery('first');
  const first = await send(d);
  expect(first).toMatchObject({ httpStatus: 201, outcome: 'started' });
  const again = await send(d);
  expect(again).toMatchObject({ httpStatus: 200, outcome: 'duplicate' });
  expect(again.reason).toContain(`delivery ${d.headers['x-github-delivery']} already started run ${first.run!.name}`);
  expect(await runCount()).toBe(before + 1);
});

it('starts one run when identical deliveries arrive at the same time', async () => {
  const before = await runCount();
  const d = delivery('concurrent');
  const results = await Promise.all(Array.from({ length: 6 }, () => send(d)));
  expect(results.filter((r) => r.outcome === 'started')).toHaveLength(1);
  expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(5);
  expect(await runCount()).toBe(before + 1);
});

it('refuses a captured GitHub delivery replayed under a fresh delivery id (the signature covers only the body)', async () => {
  const before = await runCount();
  const d = delivery('captured');
  expect((await send(d)).outcome).toBe('started');
  const replay = { body: d.body, headers: { ...d.headers, 'x-github-delivery': randomUUID() } };
  expect(await send(replay)).toMatchObject({
    httpStatus: 200,
    outcome: 'duplicate',
    reason: expect.stringContaining('the same signed payload'),
  });
  expect(await runCount()).toBe(before + 1);
});

it('answers 404 for an unknown trigger and stores nothing', async () => {
  const rowsBefore = (await h.t.handle.db.select().from(triggerDeliveries)).length;
  for (let i = 0; i < 20; i++) expect((await send(delivery('x'), `no-such-trigger-${i}`)).httpStatus).toBe(404);
  expect((await h.t.handle.db.select().from(triggerDeliveries)).length).toBe(rowsBefore);
  expect(
    await h.t.handle.db.select().from(triggerDeliveries).where(eq(triggerDeliveries.trigger, 'no-such-trigger-0')),
  ).toEqual([]);
});

it('prunes deliveries older than the retention window in housekeeping, and keeps newer ones', async () => {
  const db = h.t.handle.db;
  const day = 86_400_000;
  await db.insert(triggerDeliveries).values([
    {
      trigger: 'on-push',
      receivedAt: new Date(Date.now() - 15 * day),
      outcome: 'rejected',
      httpStatus: 401,
      deliveryId: 'old-1',
    },
    {
      trigger: 'on-push',
      receivedAt: new Date(Date.now() - 13 * day),
      outcome: 'rejected',
      httpStatus: 401,
      deliveryId: 'recent-1',
    },
  ]);
  const result = await cleanUpExpired(h.t.deps(), { deliveryRetentionDays: 14 });
  expect(result.deliveries).toBeGreaterThanOrEqual(1);
  const ids = (await db.select({ id: triggerDeliveries.deliveryId }).from(triggerDeliveries)).map((r) => r.id);
  expect(ids).not.toContain('old-1');
  expect(ids).toContain('recent-1');
});

it('runs a payload value passed through env as data: `x"; id; echo "` in a commit message executes nothing', async () => {
  const evil = `x"; id; touch ${marker}; echo "`;
  const res = await send(delivery(evil));
  expect(res.outcome).toBe('started');
  const run = await waitForRun(h, res.run!.id, 60_000);
  expect(run.status.conditions[0]).toMatchObject({ status: 'True' });
  const lines = await logLines(h, (await child(h, res.run!.id, 'say')).id);
  expect(lines).toContain(`message=${evil}`);
  expect(lines.some((l) => /uid=\d+/.test(l))).toBe(false);
  expect(existsSync(marker)).toBe(false);
});

it('warns at apply time (and still applies) when a script interpolates params, naming the env form', async () => {
  const res = await apply(
    h,
    `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: unsafe-echo }
spec:
  params: [{ name: message }]
  steps: [{ name: echo, image: alpine, script: 'echo "$(params.message)"' }]
`,
  );
  expect(res.applied).toEqual([{ kind: 'Task', name: 'unsafe-echo', action: 'created' }]);
  expect(res.warnings).toEqual([
    {
      path: 'documents[0].spec.steps[0].script',
      message: expect.stringContaining('env: [{ name: MESSAGE, value: "$(params.message)" }]'),
    },
  ]);
});
