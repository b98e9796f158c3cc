import { desc } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, users } from '../../lib/adapters/db/schema';
import { JqRunner } from '../../lib/adapters/jq';
import { ZAuditQuery } from '../../lib/schemas/audit';
import { auditBy } from '../../lib/server/audit/audit-via';
import { listAuditEntries } from '../../lib/server/audit/list-audit-entries';
import { requestClient, withClient } from '../../lib/server/audit/principal-client';
import { authenticateLocalUser } from '../../lib/server/auth/authenticate-local-user';
import { exchangePasswordForToken } from '../../lib/server/auth/exchange-password-for-token';
import { hashPassword } from '../../lib/server/auth/passwords';
import { autoSyncApp } from '../../lib/server/gitops/controller/auto-sync-app';
import type { ControllerRuntime } from '../../lib/server/gitops/controller/runtime';
import { createApplication } from '../../lib/server/gitops/applications/create-application';
import { updateApplication } from '../../lib/server/gitops/applications/update-application';
import type { Principal } from '../../lib/server/principal';
import { createApiToken } from '../../lib/server/tokens/create-api-token';
import { appDoc, failure, insertApps, seedBasics } from './applications-support';
import { admin, principal, projectRole, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
let ops: Principal;
const jq = new JqRunner();
const q = (query: Record<string, string> = {}) => ZAuditQuery.parse(query);
const newest = async () => (await t.handle.db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(1))[0];

beforeAll(async () => {
  t = await testDatabase();
  ops = await seedBasics(t);
});

describe('who and via what', () => {
  it('a request principal records ui (session), cli (the CLI User-Agent), api (any other token client)', async () => {
    const token = { ...ops, via: 'token' as const };
    const cases: [Principal, string][] = [
      [withClient({ ...ops, via: 'session' }, 'Mozilla/5.0'), 'ui'],
      [withClient(token, 'keelson-cli/0.1.0'), 'cli'],
      [withClient(token, 'curl/8.5.0'), 'api'],
      [withClient(token, null), 'api'],
    ];
    for (const [who, via] of cases) {
      await createApiToken(t.deps(), who, { name: `via-${via}` }, '203.0.113.7');
      expect(await newest()).toMatchObject({ actor: 'ops', action: 'token.create', via, ip: '203.0.113.7' });
    }
  });

  it('a password login says where it came from: the login page (ui), keelson login (cli), a script (api)', async () => {
    await t.handle.db.insert(users).values({ username: 'lee', passwordHash: await hashPassword('lee-password-1') });
    const login = {
      username: 'lee',
      password: 'lee-password-1',
      ip: '192.0.2.9',
      rateLimit: { perIp: 100, perUser: 100 },
    };
    await authenticateLocalUser(t.deps(), { ...login, client: 'ui' });
    expect(await newest()).toMatchObject({ actor: 'lee', action: 'login', result: 'success', via: 'ui' });
    await exchangePasswordForToken(t.deps(), { ...login, client: requestClient('token', 'keelson-cli/1.2.3') });
    const rows = await t.handle.db.select().from(auditLog).orderBy(desc(auditLog.at)).limit(2);
    expect(rows.map((r) => [r.action, r.via])).toEqual([
      ['token.create', 'cli'],
      ['login', 'cli'],
    ]);
    await authenticateLocalUser(t.deps(), { ...login, password: 'wrong', client: 'api' }).catch(() => undefined);
    expect(await newest()).toMatchObject({ actor: 'lee', action: 'login', result: 'failure', via: 'api' });
  });

  it('project tokens, trigger deliveries and the controller record themselves; no principal is the system', () => {
    expect(auditBy(projectRole('team-a', 'ci'))).toEqual({ actor: 'proj:team-a:ci', via: 'project-token' });
    expect(auditBy(projectRole('team-a', 'deliver', 'trigger'))).toEqual({
      actor: 'proj:team-a:deliver',
      via: 'trigger',
    });
    expect(auditBy(principal('automated', [], 'controller'))).toEqual({ actor: 'automated', via: 'controller' });
    expect(auditBy({ username: 'ops' })).toEqual({ actor: 'ops' });
  });

  it("an automated sync is recorded as actor 'automated' via the controller, with the revision", async () => {
    await insertApps(t, [
      { name: 'auto', spec: { ...appDoc('auto').spec, syncPolicy: { automated: { prune: true } } } as never },
    ]);
    const d = t.deps();
    const [app] = await d.gitops.apps.findByName('auto').then((r) => [r!]);
    const rt = { deps: d, apps: d.gitops.apps, operations: d.gitops.operations } as unknown as ControllerRuntime;
    const sha = 'c'.repeat(40);
    const started = await autoSyncApp(rt, app, { sync: 'OutOfSync', sha, paramsHash: 'p' });
    expect(started.started).toBe(true);
    expect(await newest()).toMatchObject({
      actor: 'automated',
      via: 'controller',
      action: 'application.sync',
      target: 'application/auto',
      details: { revision: sha, prune: true },
    });
  });
});

describe('spec diffs', () => {
  it('an application update carries the JSON Patch of its spec', async () => {
    await createApplication(t.deps(), admin(), appDoc('diffed'), { allowLocalRepos: false, jq });
    await updateApplication(
      t.deps(),
      withClient(principal('admin', [], 'token'), 'keelson-cli/0.1.0'),
      'diffed',
      appDoc('diffed', { targetRevision: 'v2', namespace: 'other' }),
      false,
      jq,
    );
    expect(await newest()).toMatchObject({
      actor: 'admin',
      via: 'cli',
      action: 'application.update',
      target: 'application/diffed',
      details: {
        diff: [
          { op: 'replace', path: '/spec/source/targetRevision', value: 'v2' },
          { op: 'replace', path: '/spec/destination/namespace', value: 'other' },
        ],
      },
    });
  });
});

describe('listAuditEntries', () => {
  const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min));
  beforeAll(async () => {
    await t.handle.db.delete(auditLog);
    const row = (min: number, actor: string, action: string, target: string | null, over = {}) => ({
      at: at(min),
      actor,
      action,
      target,
      result: 'success',
      via: 'ui',
      ...over,
    });
    await t.handle.db
      .insert(auditLog)
      .values([
        row(0, 'alice', 'login', null, { via: null }),
        row(1, 'alice', 'application.create', 'application/web'),
        row(2, 'bob', 'application.sync', 'application/web', { via: 'cli' }),
        row(3, 'bob', 'cluster.add', 'cluster/prod', { via: 'api' }),
        row(4, 'automated', 'application.sync', 'application/api', { via: 'controller' }),
        row(5, 'proj:team-a:ci', 'pipelinerun.start', 'pipelinerun/build-1', { via: 'project-token' }),
        row(6, 'alice', 'token.revoke', 'token/x', { result: 'failure', ip: '198.51.100.1' }),
        row(7, 'admin', 'project.update', 'projects/team-a', { via: 'api' }),
      ]);
  });
  const now = () => at(10);
  const list = (query: Record<string, string> = {}) => listAuditEntries(t.deps(now), admin(), q(query));
  const actions = async (query: Record<string, string> = {}) => (await list(query)).items.map((i) => i.action);

  it('answers newest first with the total, paged on the server', async () => {
    const first = await list({ limit: '3' });
    expect(first).toMatchObject({ total: 8, limit: 3, offset: 0 });
    expect(first.items.map((i) => i.at)).toEqual([at(7), at(6), at(5)].map((d) => d.toISOString()));
    expect(first.items[1]).toMatchObject({ actor: 'alice', via: 'ui', result: 'failure', ip: '198.51.100.1' });
    const last = await list({ limit: '3', offset: '7' });
    expect(last.items.map((i) => i.action)).toEqual(['login']);
    expect(last.items[0].via).toBeNull();
    expect((await list({ offset: '50' })).items).toEqual([]);
  });

  it('filters by user, resource (singular or plural), action, object, result, via and time', async () => {
    expect(await actions({ user: 'bob' })).toEqual(['cluster.add', 'application.sync']);
    expect(await actions({ resource: 'applications' })).toEqual([
      'application.sync',
      'application.sync',
      'application.create',
    ]);
    expect(await actions({ resource: 'cluster' })).toEqual(['cluster.add']);
    expect(await actions({ resource: 'projects' })).toEqual(['project.update']);
    expect(await actions({ resource: 'project' })).toEqual(['project.update']);
    expect(await actions({ action: 'sync' })).toEqual(['application.sync', 'application.sync']);
    expect(await actions({ action: 'application.create' })).toEqual(['application.create']);
    expect(await actions({ action: 'login' })).toEqual(['login']);
    expect(await actions({ object: 'WEB' })).toEqual(['application.sync', 'application.create']);
    expect(await actions({ result: 'failure' })).toEqual(['token.revoke']);
    expect(await actions({ via: 'project-token' })).toEqual(['pipelinerun.start']);
    expect(await actions({ since: at(4).toISOString(), until: at(6).toISOString() })).toEqual([
      'pipelinerun.start',
      'application.sync',
    ]);
    // Relative times count back from the clock: 10 − 6 = 4 minutes ago.
    expect(await actions({ since: '6m' })).toEqual([
      'project.update',
      'token.revoke',
      'pipelinerun.start',
      'application.sync',
    ]);
    expect((await list({ user: 'bob', resource: 'application', limit: '1' })).total).toBe(1);
    expect(await actions({ object: '%' })).toEqual([]);
  });

  it('refuses bad filters with the field named', () => {
    expect(() => q({ since: 'yesterday' })).toThrow(/since/);
    expect(() => q({ limit: '0' })).toThrow();
    expect(() => q({ result: 'maybe' })).toThrow();
  });

  it('is role:admin only: readonly, project roles and unknown users get 403 naming audit get *', async () => {
    const denied = { resource: 'audit', action: 'get', object: '*' };
    for (const who of [readonly(), projectRole('default', 'ci'), principal('nobody')]) {
      const err = await failure(listAuditEntries(t.deps(now), who, q()));
      expect(err).toMatchObject({ status: 403, details: { denied } });
    }
    expect((await list()).total).toBe(8);
  });
});
