/** Shared helpers for the k8s adapter tests: credentials of the test cluster in every supported form. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { connect } from '@/lib/adapters/k8s/connect';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import { kubeconfigPath } from './cluster';

export interface TestClusterCreds {
  server: string;
  token: string;
  caPem: string;
}

export function testClusterCreds(): TestClusterCreds {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster?.caData || !user?.token) throw new Error('test kubeconfig must embed CA data and a token');
  return { server: cluster.server, token: user.token, caPem: Buffer.from(cluster.caData, 'base64').toString('utf8') };
}

export const connectTestCluster = (): Promise<KubeConnection> => connect({ type: 'kubeconfig', path: kubeconfigPath });

/** A self-signed client certificate (the test API server has no client CA, so it authenticates nobody). */
export function selfSignedClientCert(): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keelson-cert-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '1', '-subj', '/CN=keelson-test-user'],
    { cwd: dir, stdio: 'ignore' },
  );
  return { certPem: readFileSync(join(dir, 'c.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8') };
}
