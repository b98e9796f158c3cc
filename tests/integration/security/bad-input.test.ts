import { createHmac } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { errorResponse } from '../../../app/api/_lib/error-response';
import { readJsonBody } from '../../../app/api/_lib/read-json-body';
import { definitions, triggerDeliveries, users } from '../../../lib/adapters/db/schema';
import { parseManifests } from '../../../lib/adapters/render/parse-manifests';
import { handleGitPush } from '../../../lib/server/webhooks/handle-git-push';
import { applyDocuments } from '../../../lib/server/pipeline/apply-documents';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { receiveTriggerDelivery } from '../../../lib/server/webhooks/receive-trigger-delivery';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { testJobs } from '../support/test-jobs';

/** Hole 13 (input): alias bombs and deep nesting gave 500; every parse failure must be a 400 with the path, nothing stored. */
let t: TestDatabase;
const { jobs } = testJobs(() => t.url);
let me: Principal;
const box = secretBox('bad-input-test-key-'.repeat(3));

/** "Billion laughs": each level refers nine times to the one before; a few hundred bytes expand to 9^levels nodes. */
function aliasBomb(kind: string, levels = 9): string {
  const lines = ['  l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `  l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(',')}]`,
    );
  return `apiVersion: v1\nkind: ${kind}\nmetadata: { name: bomb }\nspec:\n${lines.join('\n')}\n`;
}
const DEEP_JSON = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;

/** What the API would answer for this failure (the route wrapper maps every error through errorResponse). */
async function answer(
  p: Promise<unknown>,
): Promise<{ status: number; body: { error: { message: string; issues?: { path: string }[] } } }> {
  const res = await p.then(
    () => new Response(null, { status: 204 }),
    (err: unknown) => errorResponse(err),
  );
  return { status: res.status, body: res.status === 204 ? { error: { message: '' } } : await res.json() };
}

const storedDefinitions = async () => (await t.handle.db.select().from(definitions)).length;

beforeAll(async () => {
  t = await testDatabase();
  await grantAdmin(t, 'attacker');
  const [u] = await t.handle.db.insert(users).values({ username: 'attacker' }).returning();
  me = { userId: u.id, username: 'attacker', name: null, role: 'user', groups: [], via: 'token' };
});

it('answers a YAML alias bomb on apply with 400 naming the document, and stores nothing', async () => {
  const res = await answer(applyDocuments(t.deps(), me, aliasBomb('Task'), box));
  expect(res.status).toBe(400);
  expect(res.body.error.issues?.[0].path).toBe('documents[0]');
  expect(res.body.error.message).toContain('alias');
  expect(await storedDefinitions()).toBe(0);
});

it('answers 100,000-deep nesting on apply with 400 (decoded JSON, a JSON body, and YAML flow style)', async () => {
  const deep = JSON.parse(DEEP_JSON) as unknown;
  const fromJson = await answer(applyDocuments(t.deps(), me, deep, box, undefined, async () => ({})));
  expect(fromJson.status).toBe(400);
  expect(fromJson.body.error.issues?.[0].path).toMatch(/^\(body\)\[0\]/);
  const yaml = await answer(applyDocuments(t.deps(), me, DEEP_JSON, box));
  expect(yaml.status).toBe(400);
  expect(yaml.body.error.issues?.[0].path).toBe('documents[0]');
  const nested64 = `{"kind":"Task","apiVersion":"tekton.dev/v1","metadata":{"name":"n"},"spec":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}`;
  const deepMap = await answer(applyDocuments(t.deps(), me, JSON.parse(nested64), box));
  expect(deepMap.status).toBe(400);
  expect(deepMap.body.error.message).toContain('nesting deeper than 64');
  expect(await storedDefinitions()).toBe(0);
});

it('answers deep JSON request bodies with 400 and the offset, even where the schema takes any value', async () => {
  const req = new Request('http://localhost/api/v1/clusters', {
    method: 'POST',
    body: DEEP_JSON,
    headers: { 'content-type': 'application/json' },
  });
  const res = await answer(readJsonBody(req, z.unknown()));
  expect(res.status).toBe(400);
  expect(res.body.error.issues?.[0].path).toBe('(body) offset 64');
  const broken = await answer(
    readJsonBody(new Request('http://localhost/x', { method: 'POST', body: '{"a": ' }), z.unknown()),
  );
  expect(broken.status).toBe(400);
});

it('answers a deep payload to the git webhook with 400', async () => {
  const res = await answer(
    handleGitPush(t.deps(), box, { 'x-github-event': 'push' }, `{"ref":"refs/heads/main","x":${DEEP_JSON}}`),
  );
  expect(res.status).toBe(400);
  expect(res.body.error.message).toContain('nesting deeper than 64');
});

it('answers a signed but deep trigger payload with 400 and starts nothing', async () => {
  await applyDocuments(
    t.deps(),
    me,
    `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: p }
spec: { tasks: [{ name: t, taskSpec: { steps: [{ name: s, image: alpine, script: 'true' }] } }] }
---
{ apiVersion: v1, kind: Secret, metadata: { name: s }, stringData: { k: deep-secret } }
---
{ apiVersion: keelson.dev/v1alpha1, kind: Trigger, metadata: { name: deep }, spec: { pipelineRef: { name: p }, provider: github, secretRef: { name: s, key: k } } }
`,
    box,
  );
  const body = `{"x":${DEEP_JSON}}`;
  const sig = `sha256=${createHmac('sha256', 'deep-secret').update(body).digest('hex')}`;
  const res = await receiveTriggerDelivery(
    t.deps(undefined, jobs),
    box,
    'deep',
    { 'x-github-event': 'push', 'x-hub-signature-256': sig },
    body,
  );
  expect(res).toMatchObject({ httpStatus: 400, outcome: 'rejected' });
  expect((await t.handle.db.select().from(triggerDeliveries)).map((d) => d.outcome)).toEqual(['rejected']);
});

it('reports an alias bomb in an application repository as a render error, not a crash', () => {
  expect(parseManifests(aliasBomb('ConfigMap'), 'app.yaml')).toMatchObject({
    ok: false,
    message: expect.stringContaining('app.yaml: document 1 could not be read'),
  });
});
