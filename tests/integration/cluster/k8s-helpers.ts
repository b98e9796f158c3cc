/** Shared helpers for the k8s adapter tests: credentials of the test cluster in every supported form. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { connect } from '@/lib/adapters/k8s/connect';
import type { KubeConnection } from '@/lib/adapters/k8s/connection';
import type { KubeObject } from '@/lib/domain/gitops/k8s-object';
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
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '1',
      '-subj',
      '/CN=keelson-test-user',
    ],
    { cwd: dir, stdio: 'ignore' },
  );
  return { certPem: readFileSync(join(dir, 'c.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'k.pem'), 'utf8') };
}

/** A TCP forwarder to the API server that a test can close (cluster "unreachable") and reopen on the same port. */
export interface TcpProxy {
  port: number;
  /** Cuts every open connection (a broken watch) but keeps accepting new ones. */
  dropConnections(): void;
  close(): Promise<void>;
  reopen(): Promise<void>;
}

export async function tcpProxy(server: string): Promise<TcpProxy> {
  const target = new URL(server);
  const sockets = new Set<Socket>();
  let listener: Server | undefined;
  let port = 0;
  const open = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const srv = createServer((client) => {
        const upstream = netConnect(Number(target.port), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = (): void => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const addr = srv.address();
        port = typeof addr === 'object' && addr ? addr.port : port;
        listener = srv;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    async close() {
      const srv = listener;
      listener = undefined;
      for (const s of sockets) s.destroy();
      sockets.clear();
      await new Promise<void>((r) => (srv ? srv.close(() => r()) : r()));
    },
    reopen: open,
  };
}

export function deployment(
  name: string,
  namespace: string,
  extra: { replicas?: number; image?: string } = {},
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas: extra.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: extra.image ?? 'example.invalid/app:1' }] },
      },
    },
  };
}
