/**
 * Every spec change's audit row carries what changed as an RFC 6902 JSON Patch (details.diff), never whole
 * before/after documents, and no Secret value (as written, nor base64) ever reaches an audit row (issue 12).
 */
import { desc, eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import { JqRunner } from '../../lib/adapters/jq';
import { MASKED_CHANGED } from '../../lib/domain/audit/spec-diff';
import { applyProject } from '../../lib/server/access/apply-project';
import { applyRbacConfig } from '../../lib/server/access/apply-rbac-config';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { requestRefresh } from '../../lib/server/gitops/applications/request-refresh';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import type { Principal } from '../../lib/server/principal';
import { secretBox } from '../../lib/server/security/secret-box';
import { appDoc, seedBasics } from './applications-support';
import { admin } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let ops: Principal;
const jq = new JqRunner();
const box = secretBox('audit-diffs-test-key-'.repeat(3));

beforeAll(async () => {
  t = await testDatabase();
  ops = await seedBasics(t);
});
afterAll(() => jq.close());

/** The newest audit row with this action. */
async function lastRow(action: string) {
  const [row] = await t.handle.db
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(desc(auditLog.at))
    .limit(1);
  return row;
}

const project = (description: string) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AppProject',
  metadata: { name: 'team-d' },
  spec: { description, sourceRepos: ['*'], destinations: [{ server: '*', namespace: 'team-d' }] },
});

describe('audit rows of spec changes carry a JSON Patch', () => {
  it('AppProject update: the diff of the document, not the documents', async () => {
    await applyProject(t.deps(), admin(), project('first'), { mode: 'upsert' });
    await applyProject(t.deps(), admin(), project('second'), { mode: 'upsert' });
    const row = await lastRow('project.update');
    expect(row.details).toEqual({ diff: [{ op: 'replace', path: '/spec/description', value: 'second' }] });
  });

  it('argocd-rbac-cm: the diff of its data', async () => {
    const cm = (csv: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'argocd-rbac-cm', namespace: 'argocd' },
      data: { 'policy.default': 'role:readonly', 'policy.csv': csv },
    });
    await applyRbacConfig(t.deps(), admin(), cm('g, ops, role:admin'));
    await applyRbacConfig(t.deps(), admin(), cm('g, ops, role:admin\ng, team-d, role:readonly'));
    const row = await lastRow('rbac.update');
    expect(row.details).toEqual({
      diff: [{ op: 'replace', path: '/data/policy.csv', value: 'g, ops, role:admin\ng, team-d, role:readonly' }],
    });
  });

  it('Application upsert: the diff of the spec', async () => {
    const opts = { allowLocalRepos: false, jq, upsert: true };
    await createApplication(t.deps(), ops, appDoc('diffed'), opts);
    expect((await lastRow('application.create')).details).toBeNull();
    await createApplication(t.deps(), ops, appDoc('diffed', { path: 'apps/other' }), opts);
    expect((await lastRow('application.update')).details).toEqual({
      diff: [{ op: 'replace', path: '/spec/source/path', value: 'apps/other' }],
    });
  });

  it('apply -f: a re-applied Task and ConfigMap against their previous documents', async () => {
    const task = (image: string) => ({
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'diffed-task' },
      spec: { steps: [{ name: 'build', image, script: 'echo hi' }] },
    });
    const cm = (level: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'diffed-cm' },
      data: { level },
    });
    await applyDocuments(
      t.deps(),
      admin(),
      [task('alpine:3.19'), cm('info')].map((d) => stringify(d)).join('---\n'),
      box,
    );
    expect((await lastRow('apply')).details).not.toHaveProperty('diff');
    await applyDocuments(
      t.deps(),
      admin(),
      [task('alpine:3.20'), cm('debug')].map((d) => stringify(d)).join('---\n'),
      box,
    );
    expect((await lastRow('apply')).details).toMatchObject({
      diff: [
        { op: 'replace', path: '/task~1diffed-task/spec/steps/0/image', value: 'alpine:3.20' },
        { op: 'replace', path: '/configmap~1diffed-cm/data/level', value: 'debug' },
      ],
    });
  });

  it('apply -f: a Secret applied twice says which keys changed and no value, as written or base64, lands in the row', async () => {
    const first = { token: 'first-token-value-7f3a', user: 'robot-user-1c9e' };
    const second = { token: 'second-token-value-92bd' };
    const b64 = (v: string) => Buffer.from(v).toString('base64');
    const secret = (data: Record<string, string>, stringData: Record<string, string>) =>
      stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'diffed-secret' }, data, stringData });
    await applyDocuments(t.deps(), admin(), secret({ user: b64(first.user) }, { token: first.token }), box);
    await applyDocuments(t.deps(), admin(), secret({ user: b64(first.user) }, { token: second.token }), box);
    const row = await lastRow('apply');
    expect(row.details).toMatchObject({
      diff: [{ op: 'replace', path: '/secret~1diffed-secret/data/token', value: MASKED_CHANGED }],
    });
    const rows = JSON.stringify(await t.handle.db.select().from(auditLog));
    for (const value of [first.token, first.user, second.token]) {
      expect(rows).not.toContain(value);
      expect(rows).not.toContain(b64(value));
    }
  });
});

describe('a refresh leaves an audit row', () => {
  it('application.refresh on the app, with its type, as the caller', async () => {
    await createApplication(t.deps(), ops, appDoc('refreshed'), { allowLocalRepos: false, jq });
    await requestRefresh(t.deps(), ops, 'refreshed', true);
    expect(await lastRow('application.refresh')).toMatchObject({
      actor: 'ops',
      target: 'application/refreshed',
      result: 'success',
      details: { type: 'hard' },
    });
  });
});
