/**
 * Benchmarks the test cluster:  tsx bench/cluster.ts [--starts N] [--deploys N] [--idle-seconds S]
 *  - start to usable (/readyz, 3 fake nodes Ready, default ServiceAccount), N cold starts;
 *  - Deployment of 3 replicas to Available, N times on the last cluster;
 *  - RSS of the whole control plane at idle (sum of VmRSS of the started pids).
 * Prints a table to stderr and one JSON line to stdout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { clusterSrcDir } from '../tests/cluster/binaries';
import { kubeRequest } from '../tests/cluster/control-plane/kube-http';
import { type RunningCluster, startCluster } from '../tests/cluster/control-plane/start';

const arg = (flag: string, dflt: number): number => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const starts = arg('--starts', 3);
const deploys = arg('--deploys', 5);
const idleSeconds = arg('--idle-seconds', 20);
const dir = join(clusterSrcDir, '..', '..', '.keelson', `bench-cluster-${process.pid}`);
/** What the bench reads of a Deployment from the API server. */
const ZDeploymentStatus = z.object({
  status: z
    .object({
      availableReplicas: z.number().optional(),
      conditions: z.array(z.object({ type: z.string(), status: z.string() })).optional(),
    })
    .optional(),
});
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const log = (line: string): void => void process.stderr.write(`[bench] ${line}\n`);

function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] ? Number(m[1]) : 0;
}

const stats = (xs: number[]): { min: number; median: number; max: number } => {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0] ?? NaN, median: s[Math.floor(s.length / 2)] ?? NaN, max: s[s.length - 1] ?? NaN };
};

async function deployToAvailable(cluster: RunningCluster, ns: string, name: string): Promise<number> {
  const labels = { app: name };
  const t0 = performance.now();
  const res = await kubeRequest(cluster.conn, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'example.invalid/bench:1' }] } },
    },
  });
  if (res.status !== 201) throw new Error(`create deployment: HTTP ${res.status} ${res.body}`);
  for (;;) {
    const got = await kubeRequest(cluster.conn, 'GET', `/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
    const d = ZDeploymentStatus.parse(JSON.parse(got.body));
    const available = d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True');
    if (available && d.status?.availableReplicas === 3) return performance.now() - t0;
    if (performance.now() - t0 > 120_000) throw new Error(`deployment ${name} not Available after 120 s`);
    await sleep(50);
  }
}

let cluster: RunningCluster | undefined;
const onSignal = (): void => {
  cluster?.killNow();
  process.exit(130);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const startMs: number[] = [];
try {
  for (let i = 0; i < starts; i++) {
    if (cluster) await cluster.stop();
    cluster = await startCluster({ dir, log: () => undefined });
    startMs.push(cluster.startupMs);
    log(`start ${i + 1}/${starts}: usable in ${cluster.startupMs} ms`);
  }
  if (!cluster) throw new Error('--starts must be >= 1');
  const c = cluster;

  const ns = 'bench';
  const nsRes = await kubeRequest(c.conn, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
  if (nsRes.status !== 201) throw new Error(`create namespace: HTTP ${nsRes.status}`);
  for (
    let i = 0;
    (await kubeRequest(c.conn, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`)).status !== 200;
    i++
  ) {
    if (i > 300) throw new Error('default ServiceAccount never appeared');
    await sleep(100);
  }
  const deployMs: number[] = [];
  for (let i = 0; i < deploys; i++) {
    deployMs.push(await deployToAvailable(c, ns, `bench-${i}`));
    log(`deploy ${i + 1}/${deploys}: 3 replicas Available in ${deployMs[i]?.toFixed(0)} ms`);
  }

  log(`idling ${idleSeconds} s before measuring RSS...`);
  await sleep(idleSeconds * 1000);
  const perProcess = Object.fromEntries(c.processes.map((p) => [p.name, Math.round(rssKiB(p.pid) / 1024)]));
  const totalMiB = Object.values(perProcess).reduce((a, b) => a + b, 0);
  for (const [name, mib] of Object.entries(perProcess)) log(`RSS ${name}: ${mib} MiB`);
  log(`RSS total: ${totalMiB} MiB`);

  const result = {
    startToUsableMs: stats(startMs),
    deploy3ToAvailableMs: stats(deployMs.map((x) => Math.round(x))),
    idleRssMiB: { total: totalMiB, ...perProcess },
  };
  log(
    `start->usable ms ${JSON.stringify(result.startToUsableMs)}; deploy->Available ms ${JSON.stringify(result.deploy3ToAvailableMs)}`,
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await cluster?.stop();
}
