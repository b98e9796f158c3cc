/**
 * A private, minimal control plane for fault tests: its own etcd and kube-apiserver (no controller-manager,
 * scheduler or nodes) on free loopback ports in `dir`, so a test can stop and restart ITS apiserver without
 * touching the shared test cluster. The apiserver comes back on the same port with the same data and credentials.
 *   const plane = await startApiserverOnly(dir);
 *   await plane.killApiserver();   // SIGKILL, as a crash
 *   await plane.startApiserver();  // back on the same port, ready
 *   await plane.stop();
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../binaries';
import { apiserverArgs, etcdArgs, type Ports } from './components';
import { generateCredentials, kubeconfigYaml } from './credentials';
import type { KubeConn } from './kube-http';
import { apiserverReady } from './nodes';
import { freePorts } from './ports';
import { assertAllRunning, cleanupDir, killPids, type ManagedProcess, startProcess } from './processes';

export interface ApiserverOnly {
  conn: KubeConn;
  /** A kubeconfig (CA embedded, system:masters token) as its text. */
  kubeconfig: string;
  killApiserver(): Promise<void>;
  startApiserver(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startApiserverOnly(dir: string, timeoutMs = 60_000): Promise<ApiserverOnly> {
  mkdirSync(dir, { recursive: true });
  const creds = generateCredentials(dir);
  const [etcdClient = 0, etcdPeer = 0, apiserver = 0] = await freePorts(3);
  const ports: Ports = { etcdClient, etcdPeer, apiserver, kwok: 0 };
  const conn: KubeConn = {
    server: `https://127.0.0.1:${apiserver}`,
    ca: readFileSync(creds.caCert, 'utf8'),
    token: creds.token,
  };
  const kubeconfig = kubeconfigYaml(conn.server, conn.ca, creds.token);
  writeFileSync(join(dir, 'kubeconfig'), kubeconfig, { mode: 0o600 });
  const etcd = startProcess(dir, 'etcd', requireBinary('etcd'), etcdArgs(dir, ports));
  let api: ManagedProcess | undefined;

  const startApiserver = async (wait = timeoutMs): Promise<void> => {
    api = startProcess(dir, 'kube-apiserver', requireBinary('kube-apiserver'), apiserverArgs(dir, ports, creds));
    const deadline = Date.now() + wait;
    while (!(await apiserverReady(conn))) {
      assertAllRunning([etcd, api]);
      if (Date.now() > deadline) throw new Error(`kube-apiserver not ready after ${wait} ms; log: ${api.logPath}`);
      await sleep(150);
    }
  };
  try {
    await startApiserver();
  } catch (err) {
    await cleanupDir(dir);
    throw err;
  }
  return {
    conn,
    kubeconfig,
    startApiserver,
    async killApiserver() {
      if (!api) return;
      process.kill(api.pid, 'SIGKILL');
      await killPids([api.pid]);
      api = undefined;
    },
    stop: async () => {
      if (api) await killPids([api.pid]);
      await cleanupDir(dir);
    },
  };
}
