/**
 * Starts a throwaway control plane: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok with 3 fake nodes, all on free loopback ports.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type BinaryName, clusterSrcDir, missingControlPlaneBinaries, requireBinary } from '../binaries';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, type Ports, schedulerArgs } from './components';
import { generateCredentials, kubeconfigYaml } from './credentials';
import type { KubeConn } from './kube-http';
import { apiserverReady, createFakeNodes, defaultServiceAccountExists, schedulableFakeNodes } from './nodes';
import { freePorts, isPortFree } from './ports';
import { guardProcesses, killProcsNow } from './exit-guard';
import { deletePodsOnNode } from './real-node/node-api';
import { realNodeProblems } from './real-node/requirements';
import { type RealNodeInfo, startRealNode } from './real-node/start-real-node';
import { teardownRealNode } from './real-node/teardown';
import { layoutOfClusterDir } from './real-node/layout';
import {
  assertAllRunning,
  cleanupDir,
  ComponentExitedError,
  isOurProcess,
  killPids,
  type ManagedProcess,
  startProcess,
} from './processes';

export interface StartOptions {
  /** Data dir; wiped first (stale processes recorded there are killed). */
  dir?: string;
  nodeCount?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
  /** Ports to try first (a taken port makes the next attempt pick fresh ones). */
  ports?: Partial<Ports>;
  /** Extra flags per component, appended last (so they win over the defaults). */
  extraArgs?: Partial<Record<BinaryName, string[]>>;
  /**
   * Also start a real node (registry, containerd, kubelet; see real-node/), tainted and labelled
   * keelson.dev/real-node=true. Throws, naming what is missing, when this host cannot run one.
   */
  realNode?: boolean;
}

type Settings = Required<Omit<StartOptions, 'dir' | 'ports'>> & { ports: Partial<Ports> };

export interface RunningCluster {
  dir: string;
  kubeconfigPath: string;
  conn: KubeConn;
  processes: ManagedProcess[];
  /** Milliseconds from start() to usable. */
  startupMs: number;
  /** Set when started with realNode: true. */
  realNode?: RealNodeInfo;
  stop(): Promise<void>;
  /** Synchronous SIGKILL of every process, for signal handlers. */
  killNow(): void;
  /**
   * Keep the processes running after this Node process exits (up.ts). Until then (or stop()),
   * they are killed when this process exits or receives SIGINT/SIGTERM/SIGHUP.
   */
  detach(): void;
}

export const defaultClusterDir = (): string => resolve(process.env.KEELSON_CLUSTER_DIR ?? '.keelson/test-cluster');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  procs: ManagedProcess[],
  deadline: number,
): Promise<void> {
  for (;;) {
    assertAllRunning(procs);
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; logs: ${procs.map((p) => p.logPath).join(' ')}`);
    }
    await sleep(150);
  }
}

async function startOnce(dir: string, opts: Settings, procs: ManagedProcess[]): Promise<RunningCluster> {
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutMs;
  const stale = await cleanupDir(dir);
  if (stale.length > 0) opts.log(`killed ${stale.length} stale process(es) from an earlier run in ${dir}`);
  mkdirSync(dir, { recursive: true });

  const creds = generateCredentials(dir);
  const [etcdClient = 0, etcdPeer = 0, apiserver = 0, kwok = 0] = await freePorts(4);
  const ports: Ports = { etcdClient, etcdPeer, apiserver, kwok, ...opts.ports };
  for (const key of Object.keys(ports) as (keyof Ports)[]) {
    if (await isPortFree(ports[key])) continue;
    const [fresh = 0] = await freePorts(1);
    opts.log(`port ${ports[key]} (${key}) is in use; using ${fresh}`);
    ports[key] = fresh;
  }
  const caPem = readFileSync(creds.caCert, 'utf8');
  const conn: KubeConn = { server: `https://127.0.0.1:${ports.apiserver}`, ca: caPem, token: creds.token };
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigYaml(conn.server, caPem, creds.token), { mode: 0o600 });

  const start = (name: BinaryName, args: string[], env?: NodeJS.ProcessEnv): void => {
    procs.push(startProcess(dir, name, requireBinary(name), [...args, ...(opts.extraArgs[name] ?? [])], env));
  };
  start('etcd', etcdArgs(dir, ports));
  start('kube-apiserver', apiserverArgs(dir, ports, creds));
  opts.log(`etcd :${ports.etcdClient} and kube-apiserver :${ports.apiserver} starting`);
  await waitUntil('kube-apiserver /readyz', () => apiserverReady(conn), procs, deadline);
  opts.log(`kube-apiserver ready after ${Date.now() - t0} ms`);

  start('kube-controller-manager', controllerManagerArgs(kubeconfigPath, creds));
  start('kube-scheduler', schedulerArgs(kubeconfigPath));
  // HOME=dir: kwok also merges ~/.kwok/kwok.yaml when present; keep a developer's file out of it.
  start('kwok', kwokArgs(kubeconfigPath, join(clusterSrcDir, 'kwok-stages.yaml'), ports), {
    ...process.env,
    HOME: dir,
  });
  const fakeNodes = async (): Promise<void> => {
    await createFakeNodes(conn, opts.nodeCount);
    await waitUntil(
      `${opts.nodeCount} Ready, untainted fake nodes`,
      async () => (await schedulableFakeNodes(conn)).length >= opts.nodeCount,
      procs,
      deadline,
    );
    opts.log(`${opts.nodeCount} fake nodes Ready after ${Date.now() - t0} ms`);
  };
  const startNode = (): Promise<RealNodeInfo | undefined> =>
    opts.realNode
      ? startRealNode({
          dir,
          conn,
          procs,
          log: opts.log,
          waitUntil: (w, c) => waitUntil(w, c, procs, deadline),
          extraArgs: { kubelet: opts.extraArgs.kubelet, containerd: opts.extraArgs.containerd },
        })
      : Promise.resolve(undefined);
  // Side by side; both settle before a failure is thrown, so the teardown never races a half-done start.
  const [fake, node] = await Promise.allSettled([fakeNodes(), startNode()]);
  if (fake.status === 'rejected') throw fake.reason;
  if (node.status === 'rejected') throw node.reason;
  const realNode = node.value;
  await waitUntil('the default ServiceAccount', () => defaultServiceAccountExists(conn), procs, deadline);
  const startupMs = Date.now() - t0;
  writeFileSync(
    join(dir, 'cluster.json'),
    `${JSON.stringify({ server: conn.server, kubeconfig: kubeconfigPath, ports, realNode, pids: procs.map((p) => ({ name: p.name, pid: p.pid })) }, null, 2)}\n`,
  );
  opts.log(`cluster usable after ${startupMs} ms`);

  return {
    dir,
    kubeconfigPath,
    conn,
    processes: procs,
    startupMs,
    realNode,
    stop: async () => {
      if (realNode) await stopRealNode(conn, realNode.nodeName, dir, procs);
      await stopInOrder(procs);
      await cleanupDir(dir);
    },
    killNow: () => {
      killProcsNow(procs);
      teardownRealNode(dir, process.pid);
    },
    detach: () => undefined,
  };
}

/** Stops `procs`, etcd last: a kube-apiserver whose etcd is gone takes ~5 s to shut down instead of ~1 s. */
async function stopInOrder(procs: readonly ManagedProcess[]): Promise<void> {
  const running = procs.filter((p) => isOurProcess(p.pid, p.bin));
  await killPids(running.filter((p) => p.name !== 'etcd').map((p) => p.pid));
  await killPids(running.map((p) => p.pid));
}

/** Deletes the node's pods (while apiserver and kubelet still run), then stops kubelet and containerd. */
async function stopRealNode(conn: KubeConn, nodeName: string, dir: string, procs: ManagedProcess[]): Promise<void> {
  const layout = layoutOfClusterDir(dir);
  if (layout) await deletePodsOnNode(conn, nodeName, layout.cgroupRoot).catch(() => 0);
  const node = procs.filter((p) => (p.name === 'kubelet' || p.name === 'containerd') && isOurProcess(p.pid, p.bin));
  await killPids(node.map((p) => p.pid));
  teardownRealNode(dir, process.pid);
}

/** Starts a cluster, retrying with fresh ports when a port was taken in the meantime. */
export async function startCluster(options: StartOptions = {}): Promise<RunningCluster> {
  const dir = resolve(options.dir ?? defaultClusterDir());
  const opts = {
    nodeCount: options.nodeCount ?? 3,
    timeoutMs: options.timeoutMs ?? 120_000,
    log: options.log ?? ((line: string) => void process.stderr.write(`[cluster] ${line}\n`)),
    extraArgs: options.extraArgs ?? {},
    realNode: options.realNode ?? false,
  };
  const missing = missingControlPlaneBinaries();
  if (missing.length > 0) {
    throw new Error(
      `test-cluster binaries missing (${missing.join(', ')}). Build them with: bash tests/cluster/build.sh`,
    );
  }
  if (opts.realNode) {
    const problems = realNodeProblems();
    if (problems.length > 0) throw new Error(`this host cannot run a real node: ${problems.join('; ')}`);
  }
  const procs: ManagedProcess[] = [];
  const release = guardProcesses(procs, () => teardownRealNode(dir, process.pid));
  for (let attempt = 1; ; attempt++) {
    try {
      const cluster = await startOnce(dir, { ...opts, ports: attempt === 1 ? (options.ports ?? {}) : {} }, procs);
      const stop = cluster.stop;
      return { ...cluster, detach: release, stop: () => (release(), stop()) };
    } catch (err) {
      await stopInOrder(procs.splice(0));
      teardownRealNode(dir, process.pid);
      const portClash = err instanceof ComponentExitedError && /address already in use/i.test(err.logTail);
      if (portClash && attempt < 3) {
        opts.log(`${err.component} could not bind its port; retrying with new ports (attempt ${attempt + 1})`);
        continue;
      }
      release();
      throw err;
    }
  }
}
