import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { checkCluster, connect } from '@/lib/adapters/k8s/connect';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { KubeError } from '@/lib/adapters/k8s/errors';
import { freePort } from '@/lib/adapters/net/free-port';
import { clusterAvailable, clusterTest as test, kubeconfigPath } from './cluster';
import { selfSignedClientCert, testClusterCreds } from './k8s-helpers';
import { issueCert } from '../../cluster/control-plane/credentials';

const opened: KubeConnection[] = [];
const track = (c: KubeConnection): KubeConnection => (opened.push(c), c);
afterAll(() => opened.forEach((c) => c.close()));

describe.skipIf(!clusterAvailable)('k8s adapter: connect + checkCluster', () => {
  test('kubeconfig file (and its named context) connects and identifies the user', async () => {
    const conn = track(await connect({ type: 'kubeconfig', path: kubeconfigPath, context: 'keelson-test' }));
    const check = await checkCluster(conn);
    expect(check).toMatchObject({
      ok: true,
      version: { gitVersion: expect.stringMatching(/^v1\.\d+/) },
      user: { username: 'admin' },
    });
    expect(conn.defaultNamespace).toBe('default');
  });

  test('an unknown context is refused before any request', async () => {
    await expect(connect({ type: 'kubeconfig', path: kubeconfigPath, context: 'nope' })).rejects.toThrow(
      /context "nope" not found.*keelson-test/,
    );
    await expect(connect({ type: 'kubeconfig', path: '/nonexistent/kubeconfig' })).rejects.toThrow(KubeError);
  });

  test('server URL + bearer token + CA (PEM or base64) connects', async () => {
    const { server, token, caPem } = testClusterCreds();
    for (const caData of [caPem, Buffer.from(caPem).toString('base64')]) {
      const check = await checkCluster(track(await connect({ type: 'token', server, token, caData })));
      expect(check.ok).toBe(true);
    }
    // insecure: no CA, no verification
    expect((await checkCluster(track(await connect({ type: 'token', server, token, insecure: true })))).ok).toBe(true);
  });

  test('a service-account token works and is identified', async ({ kube, namespace }) => {
    await kube.core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'deployer' } } });
    const tr = await kube.core.createNamespacedServiceAccountToken({
      namespace,
      name: 'deployer',
      body: { spec: { audiences: [], expirationSeconds: 600 } },
    });
    const { server, caPem } = testClusterCreds();
    const check = await checkCluster(
      track(await connect({ type: 'token', server, token: tr.status?.token ?? '', caData: caPem })),
    );
    expect(check).toMatchObject({ ok: true, user: { username: `system:serviceaccount:${namespace}:deployer` } });
  });

  test('a bad token is refused with a clean message that does not contain it', async () => {
    const { server, caPem } = testClusterCreds();
    const token = 'not-a-real-token-0123456789abcdef';
    const check = await checkCluster(track(await connect({ type: 'token', server, token, caData: caPem })));
    expect(check).toMatchObject({ ok: false, status: 401 });
    if (check.ok) throw new Error('unreachable');
    expect(check.message).toMatch(/refused the credentials \(401 Unauthorized\)/);
    expect(check.message).not.toContain(token);
  });

  test('a wrong CA fails TLS verification with a readable reason', async () => {
    const { server, token } = testClusterCreds();
    const { certPem } = selfSignedClientCert();
    const check = await checkCluster(track(await connect({ type: 'token', server, token, caData: certPem })));
    expect(check.ok).toBe(false);
    if (check.ok) throw new Error('unreachable');
    expect(check.message).toMatch(/cannot reach .*(certificate|self.signed)/i);
    expect(check.message).not.toContain(token);
  });

  test('client certificate + key + CA: the TLS handshake works, an unknown certificate is not an identity', async () => {
    const { server, caPem } = testClusterCreds();
    const { certPem, keyPem } = selfSignedClientCert();
    const conn = track(
      await connect({ type: 'clientCert', server, certData: certPem, keyData: keyPem, caData: caPem }),
    );
    const check = await checkCluster(conn);
    // The test API server trusts client certificates of its own CA (--client-ca-file) only.
    expect(check).toMatchObject({ ok: false, status: 401 });
    if (!check.ok) expect(check.message).not.toContain('PRIVATE KEY');
    const caKey = join(dirname(kubeconfigPath), 'ca.key');
    if (existsSync(caKey)) {
      const issued = issueCert(dirname(caKey), mkdtempSync(join(tmpdir(), 'cc-')), 'user', {
        cn: 'cert-user',
        org: 'system:masters',
        usage: 'client',
      });
      const [certData, keyData] = [issued.cert, issued.key].map((f) => readFileSync(f, 'utf8'));
      const ok = await checkCluster(
        track(await connect({ type: 'clientCert', server, certData, keyData, caData: caPem })),
      );
      expect(ok).toMatchObject({ ok: true, user: { username: 'cert-user' } });
    }
    await expect(connect({ type: 'clientCert', server, certData: 'garbage', keyData: keyPem })).rejects.toThrow(
      /certData must be PEM/,
    );
  });

  test('a closed port is reported as unreachable, not thrown', async () => {
    const { token, caPem } = testClusterCreds();
    const port = await freePort();
    const check = await checkCluster(
      track(await connect({ type: 'token', server: `https://127.0.0.1:${port}`, token, caData: caPem })),
    );
    expect(check).toEqual({
      ok: false,
      message: expect.stringMatching(/cannot reach https:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/),
    });
  });

  test('in-cluster outside a pod is a clear configuration error', async () => {
    await expect(connect({ type: 'inCluster' })).rejects.toThrow(/not running inside a Kubernetes pod/);
  });

  test('connections never serialise their credentials', async () => {
    const { server, token, caPem } = testClusterCreds();
    const conn = track(await connect({ type: 'token', server, token, caData: caPem }));
    expect(JSON.stringify({ conn })).not.toContain(token);
    expect((await import('node:util')).inspect(conn, { depth: 5 })).not.toContain(token);
  });
});
