import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { pipelineRuns, triggerDeliveries, users } from '../../lib/adapters/db/schema';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import type { TFrozenRunSpec as FrozenRunSpec } from '../../lib/domain/pipeline/stored-schemas';
import { secretBox } from '../../lib/server/security/secret-box';
import { receiveTriggerDelivery } from '../../lib/server/webhooks/receive-trigger-delivery';
import { grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';
import { hookSecretAndPushTrigger, pushPayload, signedPush } from './support/trigger-fixtures';

let t: TestDatabase;
const { jobs, boss } = testJobs(() => t.url);
const box = secretBox('trigger-test-key-'.repeat(3));
const SECRET = 'webhook-shared-secret';

const yaml = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build }
spec:
  params: [{ name: revision }, { name: event }]
  tasks:
    - name: echo
      taskSpec:
        params: [{ name: revision }]
        steps: [{ name: echo, image: alpine, env: [{ name: REVISION, value: $(params.revision) }], script: 'echo "$REVISION"' }]
      params: [{ name: revision, value: $(params.revision) }]
${hookSecretAndPushTrigger(
  SECRET,
  `    - { name: revision, value: $(body.head_commit.id) }
    - { name: event, value: $(header.X-GitHub-Event) }
`,
)}`;

const payload = pushPayload;
const headers = (body: string, secret = SECRET) => signedPush(body, 'd-1', secret);

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'ops');
  const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
  const res = await applyDocuments(
    t.deps(),
    { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' },
    yaml,
    box,
  );
  expect(res.applied.map((a) => `${a.kind}/${a.name}`)).toEqual(['Pipeline/build', 'Secret/hook', 'Trigger/on-push']);
});

it('refuses a bad or missing signature with 401 and starts nothing', async () => {
  const body = payload('refs/heads/main');
  expect(
    await receiveTriggerDelivery(t.deps(undefined, jobs), box, 'on-push', headers(body, 'wrong'), body),
  ).toMatchObject({
    httpStatus: 401,
    outcome: 'rejected',
  });
  const { 'x-hub-signature-256': _, ...unsigned } = headers(body);
  expect(await receiveTriggerDelivery(t.deps(undefined, jobs), box, 'on-push', unsigned, body)).toMatchObject({
    httpStatus: 401,
    reason: 'missing X-Hub-Signature-256 header',
  });
  expect(await t.handle.db.select().from(pipelineRuns)).toHaveLength(0);
});

it('answers 202 with a reason for a filtered branch', async () => {
  const body = payload('refs/heads/feature');
  const res = await receiveTriggerDelivery(t.deps(undefined, jobs), box, 'on-push', headers(body), body);
  expect(res).toMatchObject({ httpStatus: 202, outcome: 'filtered', reason: 'branch "feature" is not one of main' });
  expect(await t.handle.db.select().from(pipelineRuns)).toHaveLength(0);
});

it('starts the pipeline with params from the payload and records every delivery', async () => {
  const body = payload('refs/heads/main');
  const res = await receiveTriggerDelivery(t.deps(undefined, jobs), box, 'on-push', headers(body), body);
  expect(res.httpStatus).toBe(201);
  const [run] = await t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, res.run!.name));
  expect((run.spec as unknown as FrozenRunSpec).run.params).toEqual([
    { name: 'revision', value: 'abc123' },
    { name: 'event', value: 'push' },
  ]);
  expect(run.createdBy).toBe('trigger:on-push');
  const deliveries = await t.handle.db.select().from(triggerDeliveries).where(eq(triggerDeliveries.trigger, 'on-push'));
  expect(deliveries.map((d) => d.outcome).sort()).toEqual(['filtered', 'rejected', 'rejected', 'started']);
});

it('answers 404 for an unknown trigger', async () => {
  expect((await receiveTriggerDelivery(t.deps(undefined, jobs), box, 'nope', {}, '{}')).httpStatus).toBe(404);
});

it('answers a fixed 500 when the run cannot be queued, without the database error, and stores no run', async () => {
  const body = JSON.stringify({ ref: 'refs/heads/main', head_commit: { id: 'def456' } });
  await (await boss()).getQueues(); // pg-boss has made its tables
  await t.handle.pool.query('alter table pgboss.job rename to job_moved_away');
  try {
    const res = await receiveTriggerDelivery(
      t.deps(undefined, jobs),
      box,
      'on-push',
      signedPush(body, 'd-9', SECRET),
      body,
    );
    expect(res).toMatchObject({ httpStatus: 500, outcome: 'error' });
    expect(res.reason).toBe('The run could not be started; the server log says why.');
    expect(JSON.stringify(res)).not.toMatch(/job|relation|pgboss/i);
  } finally {
    await t.handle.pool.query('alter table pgboss.job_moved_away rename to job');
  }
  const runs = await t.handle.db.select().from(pipelineRuns);
  expect(runs.map((r) => (r.spec as unknown as FrozenRunSpec).run.params?.[0])).not.toContainEqual({
    name: 'revision',
    value: 'def456',
  });
});
