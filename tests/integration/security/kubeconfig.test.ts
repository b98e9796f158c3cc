/**
 * Hole 1 of issue 10: a kubeconfig sent to `POST /api/v1/clusters` must never run a command or read
 * a file on the Keelson server. Each attack goes through the API's body schema and the registration
 * service; the answer must be a 400 naming the field, the command must not have run, the file's
 * secret must not appear anywhere, and nothing may be stored. Stored clusters are re-checked at load.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { clusters, users } from '../../../lib/adapters/db/schema';
import { connect } from '../../../lib/adapters/k8s';
import { AppError } from '../../../lib/errors';
import { ZAddCluster } from '../../../lib/schemas/gitops';
import { clusterTargetFor } from '../../../lib/server/gitops/app-target';
import { registerCluster } from '../../../lib/server/gitops/register-cluster';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';

const box = secretBox('kubeconfig-security-key-'.repeat(2));
const SECRET = 'marker-secret-5f1c9a0e7b';

function kubeconfig(user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', ...cluster } }],
    users: [{ name: 'u', user }],
    contexts: [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'ctx',
  });
}

describe('kubeconfigs cannot run commands or read files on the server (issue 10, hole 1)', () => {
  let t: TestDatabase;
  let me: Principal;
  let dir: string;
  let secretFile: string;

  beforeAll(async () => {
    t = await testDatabase();
    const [u] = await t.handle.db.insert(users).values({ username: 'attacker' }).returning();
    me = { userId: u.id, username: 'attacker', name: null, role: 'user', groups: [], via: 'token' };
    // A user allowed to register clusters (role:admin): the kubeconfig itself must still be refused.
    await grantAdmin(t, 'attacker');
    dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-kubeconfig-sec-'));
    secretFile = path.join(dir, 'secret');
    await writeFile(secretFile, `${SECRET}\n`);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** POSTs the body the way the route does (schema, then service) and returns the refusal. */
  async function refusal(name: string, text: string): Promise<{ status: number; json: string; issues: string[] }> {
    const body = ZAddCluster.parse({ name, kubeconfig: text });
    const err = await registerCluster(t.deps(), box, me, body).then(
      () => new Error('registered'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    const app = err as AppError;
    return {
      status: app.status,
      json: JSON.stringify(app.toJSON()),
      issues: (app.details.issues ?? []).map((i) => i.path),
    };
  }

  async function expectNothingStored() {
    expect(await t.handle.db.select().from(clusters)).toEqual([]);
  }

  it('refuses users[0].user.exec without running the command', async () => {
    const marker = path.join(dir, 'exec-ran');
    const text = kubeconfig({
      exec: {
        apiVersion: 'client.authentication.k8s.io/v1',
        command: '/bin/sh',
        args: [
          '-c',
          `touch ${marker}; echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x"}}'`,
        ],
      },
    });
    const r = await refusal('exec', text);
    expect(r.status).toBe(400);
    expect(r.issues).toContain('kubeconfig.users[0].user.exec');
    expect(existsSync(marker)).toBe(false);
    await expectNothingStored();
  });

  it('refuses an exec hidden in a second user that a context switch would pick', async () => {
    const marker = path.join(dir, 'exec2-ran');
    const doc = {
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
      users: [
        { name: 'ok', user: { token: 't' } },
        { name: 'evil', user: { exec: { command: '/bin/sh', args: ['-c', `touch ${marker}`] } } },
      ],
      contexts: [
        { name: 'a', context: { cluster: 'c', user: 'ok' } },
        { name: 'b', context: { cluster: 'c', user: 'evil' } },
      ],
      'current-context': 'a',
    };
    const body = ZAddCluster.parse({ name: 'exec-two', kubeconfig: stringify(doc), context: 'b' });
    const err = (await registerCluster(t.deps(), box, me, body).catch((e: unknown) => e)) as AppError;
    expect(err.status).toBe(400);
    expect((err.details.issues ?? []).map((i) => i.path)).toContain('kubeconfig.users[1].user.exec');
    expect(existsSync(marker)).toBe(false);
    await expectNothingStored();
  });

  it('refuses auth-provider (gcp cmd-path runs a shell command; tokenFile reads a file)', async () => {
    const marker = path.join(dir, 'gcp-ran');
    const gcp = kubeconfig({
      'auth-provider': { name: 'gcp', config: { 'cmd-path': '/bin/sh', 'cmd-args': `-c "touch ${marker}; echo {}"` } },
    });
    const r = await refusal('gcp', gcp);
    expect(r.status).toBe(400);
    expect(r.issues).toContain('kubeconfig.users[0].user.auth-provider');
    expect(existsSync(marker)).toBe(false);
    const file = await refusal(
      'fileauth',
      kubeconfig({ 'auth-provider': { name: 'file', config: { tokenFile: secretFile } } }),
    );
    expect(file.status).toBe(400);
    expect(file.issues).toContain('kubeconfig.users[0].user.auth-provider');
    expect(file.json).not.toContain(SECRET);
    await expectNothingStored();
  });

  it.each([
    ['token-file', { 'token-file': '$SECRET' }, {}, 'users[0].user.token-file'],
    ['tokenFile', { tokenFile: '$SECRET' }, {}, 'users[0].user.tokenFile'],
    [
      'client-certificate',
      { 'client-certificate': '$SECRET', 'client-key-data': 'eA==' },
      {},
      'users[0].user.client-certificate',
    ],
    ['client-key', { 'client-certificate-data': 'eA==', 'client-key': '$SECRET' }, {}, 'users[0].user.client-key'],
    [
      'certificate-authority',
      { token: 't' },
      { 'certificate-authority': '$SECRET' },
      'clusters[0].cluster.certificate-authority',
    ],
  ])('refuses the file field %s with its path and never shows the file', async (name, user, cluster, field) => {
    const fill = (o: Record<string, string>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === '$SECRET' ? secretFile : v]));
    const r = await refusal(name.toLowerCase(), kubeconfig(fill(user), fill(cluster)));
    expect(r.status).toBe(400);
    expect(r.issues).toContain(`kubeconfig.${field}`);
    expect(r.json).not.toContain(SECRET);
    await expectNothingStored();
  });

  it('refuses a proxy-url with an odd scheme and insecure together with a CA', async () => {
    const proxy = await refusal('proxy', kubeconfig({ token: 't' }, { 'proxy-url': 'file:///etc/passwd' }));
    expect(proxy.issues).toContain('kubeconfig.clusters[0].cluster.proxy-url');
    const both = await refusal(
      'insecure',
      kubeconfig({ token: 't' }, { 'insecure-skip-tls-verify': true, 'certificate-authority-data': 'eA==' }),
    );
    expect(both.issues).toContain('kubeconfig.clusters[0].cluster.insecure-skip-tls-verify');
    const token = ZAddCluster.parse({
      name: 'tok',
      server: 'https://127.0.0.1:1',
      token: 't',
      insecure: true,
      caData: 'eA==',
    });
    const err = (await registerCluster(t.deps(), box, me, token).catch((e: unknown) => e)) as AppError;
    expect(err.status).toBe(400);
    expect((err.details.issues ?? []).map((i) => i.path)).toEqual(['insecure']);
    await expectNothingStored();
  });

  it('re-checks stored clusters when they are loaded: no file path, no exec', async () => {
    const marker = path.join(dir, 'stored-exec-ran');
    await t.handle.db.insert(clusters).values([
      {
        name: 'by-path',
        server: 'https://127.0.0.1:1',
        sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', path: secretFile })),
        createdBy: 'old',
      },
      {
        name: 'old-exec',
        server: 'https://127.0.0.1:1',
        sealedCredentials: box.seal(
          JSON.stringify({
            type: 'kubeconfig',
            content: kubeconfig({ exec: { command: '/bin/sh', args: ['-c', `touch ${marker}`] } }),
          }),
        ),
        createdBy: 'old',
      },
    ]);
    const byPath = await clusterTargetFor(t.deps(), box, 'by-path').catch((e: Error) => e);
    expect(byPath).toBeInstanceOf(Error);
    expect(String(byPath)).not.toContain(SECRET);
    const target = await clusterTargetFor(t.deps(), box, 'old-exec');
    const conn = await connect(target!.credentials)
      .then((c) => c.close())
      .catch((e: Error) => e);
    expect(String(conn)).toMatch(/users\[0\]\.user\.exec/);
    expect(existsSync(marker)).toBe(false);
    await t.handle.db.delete(clusters);
  });
});
