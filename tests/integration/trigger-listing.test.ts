import { beforeAll, expect, it } from 'vitest';
import { users } from '../../lib/adapters/db/schema';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import { secretBox } from '../../lib/server/security/secret-box';
import { receiveTriggerDelivery } from '../../lib/server/webhooks/receive-trigger-delivery';
import { listDeliveries, listTriggers } from '../../lib/server/pipeline/list-triggers';
import { admin, grantAdmin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';
import { testJobs } from './support/test-jobs';
import { hookSecretAndPushTrigger, pushPayload, signedPush } from './support/trigger-fixtures';

let t: TestDatabase;
const { jobs } = testJobs(() => t.url);
const box = secretBox('trigger-listing-key-'.repeat(3));
const SECRET = 'listing-shared-secret';

/** A clock that moves one second per reading, so deliveries have distinct, ordered times. */
let tick = Date.parse('2026-01-01T00:00:00Z');
const clock = () => new Date((tick += 1000));

const yaml = `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: build }
spec:
  params: [{ name: revision, default: none }]
  tasks:
    - name: echo
      taskSpec:
        steps: [{ name: echo, image: alpine, script: 'echo hi' }]
${hookSecretAndPushTrigger(SECRET, '    - { name: revision, value: $(body.head_commit.id) }\n')}---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: gitlab-any }
spec:
  pipelineRef: { name: build }
  provider: gitlab
  secretRef: { name: hook, key: token }
`;

const payload = pushPayload;
const signed = (body: string, id: string, secret = SECRET) => signedPush(body, id, secret);

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'ops');
  const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
  await applyDocuments(
    t.deps(clock),
    { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' },
    yaml,
    box,
  );
});

it('lists triggers with provider, pipeline, filter and webhook path, before any delivery', async () => {
  expect(await listTriggers(t.deps(clock), admin())).toEqual([
    {
      name: 'gitlab-any',
      project: 'default',
      serviceAccountName: null,
      provider: 'gitlab',
      pipeline: 'build',
      filter: { events: [], branches: [] },
      webhookPath: '/api/webhooks/triggers/gitlab-any',
      secretRef: { name: 'hook', key: 'token' },
      updatedAt: expect.any(String),
      lastDelivery: null,
    },
    {
      name: 'on-push',
      project: 'default',
      serviceAccountName: null,
      provider: 'github',
      pipeline: 'build',
      filter: { events: ['push'], branches: ['main'] },
      webhookPath: '/api/webhooks/triggers/on-push',
      secretRef: { name: 'hook', key: 'token' },
      updatedAt: expect.any(String),
      lastDelivery: null,
    },
  ]);
  expect(await listDeliveries(t.deps(clock), admin(), 'on-push', 10)).toEqual([]);
});

it('lists deliveries newest first with their outcomes, and the last one on the trigger', async () => {
  const main = payload('refs/heads/main');
  const feature = payload('refs/heads/feature');
  const deps = t.deps(clock, jobs);
  const { 'x-hub-signature-256': _, ...unsigned } = signed(main, 'd-1');
  await receiveTriggerDelivery(deps, box, 'on-push', unsigned, main);
  await receiveTriggerDelivery(deps, box, 'on-push', signed(feature, 'd-2'), feature);
  const started = await receiveTriggerDelivery(deps, box, 'on-push', signed(main, 'd-3'), main);
  expect(started.outcome).toBe('started');
  // A delivery to another name stays out of this trigger's list.
  await receiveTriggerDelivery(deps, box, 'nope', {}, '{}');

  const deliveries = await listDeliveries(deps, admin(), 'on-push', 10);
  expect(deliveries.map((d) => [d.deliveryId, d.outcome, d.httpStatus])).toEqual([
    ['d-3', 'started', 201],
    ['d-2', 'filtered', 202],
    ['d-1', 'rejected', 401],
  ]);
  expect(deliveries[0]).toMatchObject({ event: 'push', runName: started.run!.name, reason: null });
  expect(deliveries[1].reason).toBe('branch "feature" is not one of main');
  expect(deliveries[2]).toMatchObject({ reason: 'missing X-Hub-Signature-256 header', runName: null });
  expect(Date.parse(deliveries[0].receivedAt)).toBeGreaterThan(Date.parse(deliveries[1].receivedAt));

  expect((await listDeliveries(deps, admin(), 'on-push', 2)).map((d) => d.deliveryId)).toEqual(['d-3', 'd-2']);

  const triggers = await listTriggers(deps, admin());
  expect(triggers.find((x) => x.name === 'on-push')?.lastDelivery).toMatchObject({
    deliveryId: 'd-3',
    outcome: 'started',
    runName: started.run!.name,
  });
  expect(triggers.find((x) => x.name === 'gitlab-any')?.lastDelivery).toBeNull();
});

it('answers NOT_FOUND for the deliveries of an unknown trigger', async () => {
  await expect(listDeliveries(t.deps(clock), admin(), 'nope', 10)).rejects.toMatchObject({ code: 'NOT_FOUND' });
});
