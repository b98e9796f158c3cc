/**
 * What the gitops benchmarks share (`bench/gitops.ts`, the sharded variant): a test cluster and a database with the
 * cluster registered, fleets of N apps × 5 resources in one repository, and the waits "every app compared" and
 * "every sync finished" that read the database only (no assumption on which controller did the work).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, gte, isNull, ne, sql } from 'drizzle-orm';
import { createGitopsStores } from '../lib/adapters/db/gitops-stores';
import { createServiceStores } from '../lib/adapters/db/service-stores';
import { appOperations, applications, clusters } from '../lib/adapters/db/schema';
import { connect, type KubeConnection } from '../lib/adapters/k8s';
import { normalizeRepoUrl } from '../lib/adapters/git';
import { ZApplicationSpec, type TApplicationSpecInput } from '../lib/schemas/applications';
import { createGitopsController, type GitopsControllerOptions } from '../lib/server/gitops/controller';
import { secretBox, type SecretBox } from '../lib/server/security/secret-box';
import { helmBin, kubectlBin, kustomizeBin } from '../tests/cluster/binaries';
import { startCluster, type RunningCluster } from '../tests/cluster/control-plane/start';
import { benchDatabase } from './support';

export const BENCH_SECRET = 'bench-gitops-secret-key-0123456789abcdef';
export const BENCH_CLUSTER = 'bench';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** Polls until `done` says true; fails with what it saw after `timeoutMs`. */
export async function until(
  what: string,
  done: () => Promise<boolean | string>,
  timeoutMs = 300_000,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: boolean | string = false;
  while (Date.now() < deadline) {
    last = await done();
    if (last === true) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
}

export const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;
export const deploy = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n    spec:\n      containers:\n        - name: main\n          image: example.invalid/${name}:1\n`;
export const svc = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: { app: ${name} }\n  ports:\n    - port: 80\n`;
export const sa = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n`;

/** The files of app `<fleet><i>` (2 ConfigMaps, a Deployment, a Service, a ServiceAccount) under apps/<name>/. */
export function fiveResources(fleet: string, i: number): Record<string, string> {
  const n = `${fleet}${i}`;
  return {
    [`apps/${n}/a.yaml`]: cm(`${n}-a`, '1'),
    [`apps/${n}/b.yaml`]: cm(`${n}-b`, '1'),
    [`apps/${n}/d.yaml`]: deploy(n),
    [`apps/${n}/s.yaml`]: svc(n),
    [`apps/${n}/sa.yaml`]: sa(n),
  };
}

/** A test cluster registered as `bench` in a fresh database, with the deps a controller needs. */
export async function startGitopsBench() {
  const clusterDir = mkdtempSync(join(tmpdir(), 'keelson-bench-cluster-'));
  const cluster: RunningCluster = await startCluster({ dir: clusterDir, log: () => undefined });
  const db = await benchDatabase();
  const now = () => new Date();
  const deps = {
    db: db.handle.db,
    now,
    gitops: createGitopsStores(db.handle.db, now),
    ...createServiceStores(db.handle.db, now),
  };
  const box: SecretBox = secretBox(BENCH_SECRET);
  const kubeconfig = readFileSync(cluster.kubeconfigPath, 'utf8');
  await db.handle.db.insert(clusters).values({
    name: BENCH_CLUSTER,
    server: 'https://bench',
    sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', content: kubeconfig })),
    createdBy: 'bench',
  });
  const conn: KubeConnection = await connect({ type: 'kubeconfig', content: kubeconfig });
  const kubectl = (...args: string[]) =>
    execFileSync(kubectlBin(), ['--kubeconfig', cluster.kubeconfigPath, ...args], { stdio: 'pipe' }).toString();
  return {
    cluster,
    db,
    deps,
    box,
    conn,
    kubectl,
    /** A controller on the bench database as the worker builds one (overrides: sharding, concurrency…). */
    controller(options: Partial<GitopsControllerOptions> = {}) {
      return createGitopsController(deps, db.handle.pool, {
        dataDir: db.dir,
        box,
        allowLocalRepos: true,
        // The worker's default (KEELSON_CONTROLLER_CONCURRENCY); KEELSON_BENCH_CONCURRENCY tries another.
        concurrency: Number(process.env.KEELSON_BENCH_CONCURRENCY ?? 8),
        resyncSeconds: 3600,
        helmBin: helmBin(),
        kustomizeBin: kustomizeBin(),
        scanMs: 200,
        log: () => undefined,
        ...options,
      });
    },
    async stop() {
      conn.close();
      await db.stop();
      await cluster.stop();
    },
  };
}
export type GitopsBench = Awaited<ReturnType<typeof startGitopsBench>>;

/** Stores one app (as `createApplication` would, without the API's checks); `createdBy` names its fleet. */
export async function insertApp(bench: GitopsBench, name: string, spec: TApplicationSpecInput, fleet = 'bench') {
  await insertApps(bench, [{ name, spec }], fleet);
}

/** Stores many apps in a few statements (10,000 single inserts would take longer than what is measured). */
export async function insertApps(
  bench: GitopsBench,
  apps: { name: string; spec: TApplicationSpecInput }[],
  fleet: string,
): Promise<void> {
  const rows = apps.map(({ name, spec }) => {
    const s = ZApplicationSpec.parse(spec);
    return {
      name,
      spec: s,
      repoUrl: s.source.repoURL,
      normalizedRepoUrl: normalizeRepoUrl(s.source.repoURL),
      targetRevision: s.source.targetRevision,
      path: s.source.path,
      clusterName: BENCH_CLUSTER,
      destNamespace: s.destination.namespace,
      automated: Boolean(s.syncPolicy.automated),
      createdBy: fleet,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await bench.db.handle.db.insert(applications).values(rows.slice(i, i + 500));
}

/**
 * A fleet: apps `<fleet>0…<fleet>N-1`, app i deploying apps/<fleet>i of `repoUrl` into namespace `<namespaces>-<i % 10>`
 * (the caller creates those namespaces).
 */
export async function insertFleet(
  bench: GitopsBench,
  fleet: string,
  count: number,
  repoUrl: string,
  namespaces: string,
) {
  await insertApps(
    bench,
    Array.from({ length: count }, (_, i) => ({
      name: `${fleet}${i}`,
      spec: {
        source: { repoURL: repoUrl, path: `apps/${fleet}${i}` },
        destination: { name: BENCH_CLUSTER, namespace: `${namespaces}-${i % 10}` },
      },
    })),
    fleet,
  );
}

/** Resolves once every app of the fleet was compared (a known sync status) at or after `since`, within a poll. */
export function fleetCompared(bench: GitopsBench, fleet: string, count: number, since: Date, timeoutMs = 600_000) {
  return until(
    `all ${count} apps of ${fleet} compared`,
    async () => {
      const [{ n }] = await bench.db.handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(applications)
        .where(
          and(
            eq(applications.createdBy, fleet),
            gte(applications.reconciledAt, since),
            ne(applications.syncStatus, 'Unknown'),
          ),
        );
      return n === count || `${n} compared`;
    },
    timeoutMs,
    // A count over the fleet: every 50 ms for 1,000 apps, every 500 ms for 10,000 (the poll must not be the load).
    Math.max(50, count / 20),
  );
}

/** Queues a sync of every app of the fleet (as `app sync` does) and waits until none is open; the phases seen. */
export async function syncFleet(bench: GitopsBench, fleet: string, timeoutMs = 900_000) {
  const db = bench.db.handle.db;
  const ids = await db.select({ id: applications.id }).from(applications).where(eq(applications.createdBy, fleet));
  for (let i = 0; i < ids.length; i += 500)
    await db.insert(appOperations).values(
      ids.slice(i, i + 500).map(({ id }) => ({
        appId: id,
        operation: {
          sync: { revision: 'HEAD', prune: false, dryRun: false, syncOptions: [] },
          initiatedBy: { username: 'bench' },
        },
      })),
    );
  const openOps = () =>
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(appOperations)
      .innerJoin(applications, eq(applications.id, appOperations.appId))
      .where(and(eq(applications.createdBy, fleet), isNull(appOperations.finishedAt)));
  await until(
    `every sync of ${fleet} to finish`,
    async () => {
      const [{ n }] = await openOps();
      return n === 0 || `${n} open`;
    },
    timeoutMs,
    50,
  );
  const phases = await db
    .select({ phase: appOperations.phase, n: sql<number>`count(*)::int` })
    .from(appOperations)
    .innerJoin(applications, eq(applications.id, appOperations.appId))
    .where(eq(applications.createdBy, fleet))
    .groupBy(appOperations.phase);
  return Object.fromEntries(phases.map((p) => [p.phase, p.n]));
}

/** How many apps of the fleet are Synced now. */
export async function fleetSynced(bench: GitopsBench, fleet: string): Promise<number> {
  const [{ n }] = await bench.db.handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .where(and(eq(applications.createdBy, fleet), eq(applications.syncStatus, 'Synced')));
  return n;
}
