/**
 * Benchmarks the real node of the test cluster:  tsx bench/node.ts [--starts N] [--pods N] [--idle-seconds S]
 *  - start to usable without and with the real node (medians of N cold starts each, and the ratio), and how long
 *    after kubelet's start the node turned Ready;
 *  - busybox pod create -> Running (first pull, then the median of N more), and a one-shot pod create -> Succeeded;
 *  - idle RSS of kubelet, containerd and the registry (VmRSS from /proc/<pid>/status), and a running pod's shim.
 * Prints a table to stderr and one JSON line to stdout.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clusterSrcDir } from '../tests/cluster/binaries';
import { kubeRequest } from '../tests/cluster/control-plane/kube-http';
import { type RunningCluster, startCluster } from '../tests/cluster/control-plane/start';

const arg = (flag: string, dflt: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const startCount = arg('--starts', 3);
const podCount = arg('--pods', 10);
const idleSeconds = arg('--idle-seconds', 10);
const dir = join(clusterSrcDir, '..', '..', '.keelson', `bench-node-${process.pid}`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const ZPod = z.object({ status: z.object({ phase: z.string().optional() }).optional() });

function rssKiB(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The pids of containerd shims serving this containerd (their `-address` is its grpc socket, from its config). */
function shimPids(containerdPid: number): number[] {
  const args = readFileSync(`/proc/${containerdPid}/cmdline`, 'utf8').split('\0');
  const config = args[args.findIndex((a) => a === '--config' || a === '-c') + 1] ?? '';
  const socket = /grpc'?\]\s*address\s*=\s*["']([^"']+)["']/.exec(config ? readFileSync(config, 'utf8') : '')?.[1];
  if (!socket) return [];
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmd[0]?.endsWith('containerd-shim-runc-v2') && cmd[cmd.indexOf('-address') + 1] === socket;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Starts a cluster, timing its log lines from the start (the real node's steps are among them). */
async function timedStart(realNode: boolean): Promise<{ cluster: RunningCluster; lines: [number, string][] }> {
  const lines: [number, string][] = [];
  const t0 = performance.now();
  const cluster = await startCluster({
    dir,
    realNode,
    log: (line) => void lines.push([Math.round(performance.now() - t0), line]),
  });
  return { cluster, lines };
}

async function podUntil(c: RunningCluster, ns: string, name: string, spec: unknown, phase: string): Promise<number> {
  const t0 = performance.now();
  const res = await kubeRequest(c.conn, 'POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name }, spec });
  if (res.status !== 201) throw new Error(`create pod ${name}: HTTP ${res.status} ${res.body}`);
  for (;;) {
    const got = ZPod.parse(
      JSON.parse((await kubeRequest(c.conn, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`)).body),
    );
    if (got.status?.phase === phase) return performance.now() - t0;
    if (got.status?.phase === 'Failed') throw new Error(`pod ${name} failed`);
    if (performance.now() - t0 > 60_000) throw new Error(`pod ${name} not ${phase} after 60 s`);
    await sleep(25);
  }
}

let cluster: RunningCluster | undefined;
const onSignal = (): void => {
  cluster?.killNow();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/** Medians of `starts` cold starts of each kind (alternating); the last cluster (with the real node) stays up. */
async function startTimes(starts: number) {
  const plain: number[] = [];
  const real: number[] = [];
  const nodeReady: number[] = [];
  let last: { cluster: RunningCluster; lines: [number, string][] } | undefined;
  for (let i = 0; i < starts; i++) {
    const p = await timedStart(false);
    cluster = p.cluster;
    plain.push(p.cluster.startupMs);
    await p.cluster.stop();
    cluster = undefined;
    last = await timedStart(true);
    cluster = last.cluster;
    real.push(last.cluster.startupMs);
    // start-real-node logs "real node <name> Ready <n> ms after kubelet start (<m> ms in all)".
    const ready = last.lines.map(([, l]) => /Ready (\d+) ms after kubelet start/.exec(l)?.[1]).find(Boolean);
    if (ready) nodeReady.push(Number(ready));
    log(
      `start ${i + 1}/${starts}: kwok only ${plain[i]} ms, with the real node ${real[i]} ms (node Ready ${ready} ms)`,
    );
    if (i < starts - 1) {
      await last.cluster.stop();
      cluster = undefined;
    }
  }
  if (!last) throw new Error('--starts must be >= 1');
  for (const [ms, line] of last.lines) log(`  +${ms} ms ${line}`);
  return { plain: median(plain), real: median(real), nodeReady: median(nodeReady), cluster: last.cluster };
}

try {
  const starts = await startTimes(startCount);
  const c = starts.cluster;
  if (!c.realNode) throw new Error('startCluster({ realNode: true }) returned no realNode');

  const ns = 'bench';
  await kubeRequest(c.conn, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
  while ((await kubeRequest(c.conn, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200) {
    await sleep(100);
  }
  const placement = {
    nodeSelector: { 'keelson.dev/real-node': 'true' },
    tolerations: [{ key: 'keelson.dev/real-node', operator: 'Exists', effect: 'NoSchedule' }],
    terminationGracePeriodSeconds: 0,
  };
  const running: number[] = [];
  for (let i = 0; i <= podCount; i++) {
    const spec = { ...placement, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] };
    running.push(await podUntil(c, ns, `run-${i}`, spec, 'Running'));
    log(
      `busybox pod ${i + 1}/${podCount + 1} Running in ${running[i]?.toFixed(0)} ms${i === 0 ? ' (first pull)' : ''}`,
    );
  }
  const containerd = c.processes.find((p) => p.name === 'containerd');
  const shims = containerd ? shimPids(containerd.pid) : [];
  const shimMiB = shims.reduce((a, pid) => a + rssKiB(pid), 0) / 1024 / Math.max(shims.length, 1);
  log(`${shims.length} shims for ${podCount + 1} running pods: ${shimMiB.toFixed(1)} MiB each`);
  const succeeded: number[] = [];
  for (let i = 0; i < podCount; i++) {
    const spec = {
      ...placement,
      restartPolicy: 'Never',
      containers: [{ name: 'c', image: 'busybox', command: ['true'] }],
    };
    succeeded.push(await podUntil(c, ns, `once-${i}`, spec, 'Succeeded'));
  }
  log(`one-shot pods Succeeded: median ${median(succeeded).toFixed(0)} ms`);
  for (let i = 0; i <= podCount; i++) await kubeRequest(c.conn, 'DELETE', `/api/v1/namespaces/${ns}/pods/run-${i}`);
  for (let i = 0; i < podCount; i++) await kubeRequest(c.conn, 'DELETE', `/api/v1/namespaces/${ns}/pods/once-${i}`);

  log(`idling ${idleSeconds} s (pods deleted) before measuring RSS...`);
  await sleep(idleSeconds * 1000);
  const rss: Record<string, number> = {};
  for (const p of c.processes.filter((x) => /kubelet|containerd|registry/.test(x.name))) {
    rss[p.name] = Math.round(rssKiB(p.pid) / 1024);
  }
  const rssTotal = Object.values(rss).reduce((a, b) => a + b, 0);

  const result = {
    startMs: { withoutRealNode: starts.plain, withRealNode: starts.real, runs: startCount },
    startRatio: Number((starts.real / starts.plain).toFixed(2)),
    nodeReadyAfterKubeletStartMs: starts.nodeReady,
    podRunningMs: { firstPull: Math.round(running[0] ?? NaN), medianLater: Math.round(median(running.slice(1))) },
    oneShotSucceededMs: { median: Math.round(median(succeeded)), min: Math.round(Math.min(...succeeded)) },
    idleRssMiB: { total: rssTotal, ...rss },
    shimRssMiBPerPod: Number(shimMiB.toFixed(1)),
  };
  const rows: [string, string][] = [
    [`start -> usable, kwok only (median of ${startCount})`, `${result.startMs.withoutRealNode} ms`],
    [
      `start -> usable, with real node (median of ${startCount})`,
      `${result.startMs.withRealNode} ms (x${result.startRatio})`,
    ],
    ['real node Ready after kubelet start', `${result.nodeReadyAfterKubeletStartMs} ms`],
    ['busybox create -> Running, first pull', `${result.podRunningMs.firstPull} ms`],
    [`busybox create -> Running, median of ${podCount}`, `${result.podRunningMs.medianLater} ms`],
    [`one-shot create -> Succeeded, median of ${podCount}`, `${result.oneShotSucceededMs.median} ms`],
    ...Object.entries(rss).map(([k, v]): [string, string] => [`idle RSS ${k}`, `${v} MiB`]),
    ['idle RSS kubelet + containerd + registry', `${rssTotal} MiB`],
    ['RSS per running pod (its shim)', `${result.shimRssMiBPerPod} MiB`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) log(`${k.padEnd(width)}  ${v}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await cluster?.stop();
}
