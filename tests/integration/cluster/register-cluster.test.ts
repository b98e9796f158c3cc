import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusters, users } from '../../../lib/adapters/db/schema';
import { AppError } from '../../../lib/errors';
import { listClusters } from '../../../lib/server/gitops/list-clusters';
import { registerCluster } from '../../../lib/server/gitops/register-cluster';
import { removeCluster } from '../../../lib/server/gitops/remove-cluster';
import { grantAdmin } from '../support/principals';
import type { Principal } from '../../../lib/server/principal';
import { secretBox } from '../../../lib/server/security/secret-box';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { clusterAvailable, kubeconfigPath } from './cluster';

const box = secretBox('cluster-test-key-'.repeat(3));

describe.skipIf(!clusterAvailable)('cluster registration against the real API server', () => {
  let t: TestDatabase;
  let me: Principal;
  beforeAll(async () => {
    t = await testDatabase();
    const [u] = await t.handle.db.insert(users).values({ username: 'ops' }).returning();
    me = { userId: u.id, username: 'ops', name: null, role: 'user', groups: [], via: 'token' };
    await grantAdmin(t, 'ops');
  });

  it('registers a cluster from a kubeconfig after it answers /version, sealing the credentials', async () => {
    const kubeconfig = readFileSync(kubeconfigPath, 'utf8');
    const row = await registerCluster(t.deps(), box, me, { name: 'test', kubeconfig });
    expect(row.serverVersion).toMatch(/^v1\.\d+/);
    const [stored] = await t.handle.db.select().from(clusters);
    expect(stored.sealedCredentials).not.toContain('token');
    expect(JSON.stringify(await listClusters(t.deps(), me))).not.toContain('sealed');
    const dup = await registerCluster(t.deps(), box, me, { name: 'test', kubeconfig }).catch((e: AppError) => e);
    expect((dup as AppError).status).toBe(409);
    await removeCluster(t.deps(), me, 'test');
    expect(await listClusters(t.deps(), me)).toEqual([]);
  });

  it('refuses bad credentials with a clear message, never echoing the token, and stores nothing', async () => {
    const server = /server: (\S+)/.exec(readFileSync(kubeconfigPath, 'utf8'))![1];
    const err = (await registerCluster(t.deps(), box, me, {
      name: 'bad',
      server,
      token: 'not-a-real-token-value',
      insecure: true,
    }).catch((e: AppError) => e)) as AppError;
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/refused|did not answer/);
    expect(err.message).not.toContain('not-a-real-token-value');
    expect(await listClusters(t.deps(), me)).toEqual([]);
  });
});
