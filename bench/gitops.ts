/**
 * `npm run bench:gitops`: the Applications engine on the test control plane.
 *  1. 200 apps × 5 resources: start of the controller to every app compared (rendered, diffed,
 *     health assessed), first unsynced, then again once all are synced (dry-run diffs); controller RSS.
 *  2. Sync of a 10-resource app vs `kubectl apply --server-side` of the same files (ratio, same process).
 *  3. A signed GitHub push through POST /api/webhooks/git's service to the new value live in the cluster, p50.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, inArray, sql } from 'drizzle-orm';
import { createGitopsStores } from '../lib/adapters/db/gitops-stores';
import { createServiceStores } from '../lib/adapters/db/service-stores';
import { appOperations, applications, clusters } from '../lib/adapters/db/schema';
import { connect, getObject } from '../lib/adapters/k8s';
import { normalizeRepoUrl } from '../lib/adapters/git';
import { ZApplicationSpec, type TApplicationSpecInput } from '../lib/schemas/applications';
import { createGitopsController } from '../lib/server/gitops/controller';
import { notifyController } from '../lib/server/gitops/notify-controller';
import { handleGitPush } from '../lib/server/webhooks/handle-git-push';
import { setWebhookSecret } from '../lib/server/webhooks/set-webhook-secret';
import { secretBox } from '../lib/server/security/secret-box';
import { helmBin, kubectlBin, kustomizeBin } from '../tests/cluster/binaries';
import { startCluster } from '../tests/cluster/control-plane/start';
import { createTestRepo } from '../tests/integration/support/git-repos';
import { benchDatabase, fmt, percentile } from './support';

const APPS = Number(process.env.KEELSON_BENCH_APPS ?? 200);
const SECRET = 'bench-gitops-secret-key-0123456789abcdef';
const WEBHOOK_SECRET = 'bench-webhook-secret';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => percentile(xs, 50);
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
/** Polls until `done` says true; fails with what it saw after `timeoutMs`. */
async function until(
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

const cm = (name: string, v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  v: "${v}"\n`;
const deploy = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: { app: ${name} }\n  template:\n    metadata:\n      labels: { app: ${name} }\n    spec:\n      containers:\n        - name: main\n          image: example.invalid/${name}:1\n`;
const svc = (name: string) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector: { app: ${name} }\n  ports:\n    - port: 80\n`;
const sa = (name: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n`;

function fiveResources(i: number): Record<string, string> {
  const n = `app${i}`;
  return {
    [`apps/${n}/a.yaml`]: cm(`${n}-a`, '1'),
    [`apps/${n}/b.yaml`]: cm(`${n}-b`, '1'),
    [`apps/${n}/d.yaml`]: deploy(n),
    [`apps/${n}/s.yaml`]: svc(n),
    [`apps/${n}/sa.yaml`]: sa(n),
  };
}

async function main() {
  const clusterDir = mkdtempSync(join(tmpdir(), 'keelson-bench-cluster-'));
  const cluster = await startCluster({ dir: clusterDir, log: () => undefined });
  const db = await benchDatabase();
  const now = () => new Date();
  const deps = {
    db: db.handle.db,
    now,
    gitops: createGitopsStores(db.handle.db, now),
    ...createServiceStores(db.handle.db, now),
  };
  const box = secretBox(SECRET);
  const kubeconfig = readFileSync(cluster.kubeconfigPath, 'utf8');
  await db.handle.db.insert(clusters).values({
    name: 'bench',
    server: 'https://bench',
    sealedCredentials: box.seal(JSON.stringify({ type: 'kubeconfig', content: kubeconfig })),
    createdBy: 'bench',
  });
  const conn = await connect({ type: 'kubeconfig', content: kubeconfig });
  const kubectl = (...args: string[]) =>
    execFileSync(kubectlBin(), ['--kubeconfig', cluster.kubeconfigPath, ...args], { stdio: 'pipe' }).toString();

  const files: Record<string, string> = {};
  for (let i = 0; i < APPS; i++) Object.assign(files, fiveResources(i));
  for (let i = 0; i < 10; i++)
    files[`ten/r${i}.yaml`] = i < 8 ? cm(`ten-${i}`, '1') : i === 8 ? deploy('ten') : svc('ten');
  const repo = await createTestRepo({ files });
  // The webhook app has a repository of its own: a push to the 200-app repository refreshes all 200 (measured apart).
  const hookRepo = await createTestRepo({ files: { 'hook/cm.yaml': cm('hooked', '0') } });
  for (let n = 0; n < 10; n++) kubectl('create', 'namespace', `bench-${n}`);

  const insertApp = async (name: string, spec: TApplicationSpecInput) => {
    const s = ZApplicationSpec.parse(spec);
    await db.handle.db.insert(applications).values({
      name,
      spec: s,
      repoUrl: s.source.repoURL,
      normalizedRepoUrl: normalizeRepoUrl(s.source.repoURL),
      targetRevision: s.source.targetRevision,
      path: s.source.path,
      clusterName: 'bench',
      destNamespace: s.destination.namespace,
      automated: Boolean(s.syncPolicy.automated),
      createdBy: 'bench',
    });
  };
  const names = Array.from({ length: APPS }, (_, i) => `app${i}`);
  for (const [i, name] of names.entries())
    await insertApp(name, {
      source: { repoURL: repo.url, path: `apps/${name}` },
      destination: { name: 'bench', namespace: `bench-${i % 10}` },
    });

  const allCompared = (since: Date) =>
    until(`all ${APPS} apps compared`, async () => {
      const [{ n }] = await db.handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(applications)
        .where(
          sql`${inArray(applications.name, names)} and ${applications.reconciledAt} >= ${since} and ${applications.syncStatus} <> 'Unknown'`,
        );
      return n === APPS || `${n} compared`;
    });

  // 1. Start to every app compared.
  const rss0 = process.memoryUsage().rss;
  const t0 = new Date();
  const start = performance.now();
  const controller = createGitopsController(deps, db.handle.pool, {
    dataDir: db.dir,
    box,
    allowLocalRepos: true,
    concurrency: 8,
    resyncSeconds: 3600,
    helmBin: helmBin(),
    kustomizeBin: kustomizeBin(),
    scanMs: 200,
    log: () => undefined,
  });
  await allCompared(t0);
  const coldMs = performance.now() - start;
  const rssCold = process.memoryUsage().rss;

  // Sync them all, then measure a full refresh of synced apps (every resource dry-run diffed).
  const ids = await db.handle.db
    .select({ id: applications.id })
    .from(applications)
    .where(inArray(applications.name, names));
  await db.handle.db.insert(appOperations).values(
    ids.map(({ id }) => ({
      appId: id,
      operation: {
        sync: { revision: 'HEAD', prune: false, dryRun: false, syncOptions: [] },
        initiatedBy: { username: 'bench' },
      },
    })),
  );
  progress(`compared ${APPS} apps in ${fmt(coldMs)}; syncing them`);
  const syncStart = performance.now();
  await until(
    'every sync to finish',
    async () => {
      const [{ n }] = await db.handle.db
        .select({ n: sql<number>`count(*)::int` })
        .from(appOperations)
        .where(sql`finished_at is null`);
      return n === 0 || `${n} open`;
    },
    600_000,
    50,
  );
  progress(`synced in ${fmt(performance.now() - syncStart)}; refreshing`);
  const syncAllMs = performance.now() - syncStart;
  await controller.idle();
  const t1 = new Date();
  const warm = performance.now();
  await db.handle.db.update(applications).set({ refreshRequested: 'normal' }).where(inArray(applications.name, names));
  for (const n of names) controller.kick(n, 'normal');
  await allCompared(t1);
  const warmMs = performance.now() - warm;
  const synced = await db.handle.db
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .where(sql`${inArray(applications.name, names)} and ${applications.syncStatus} = 'Synced'`);
  const rssWarm = process.memoryUsage().rss;

  progress(`refreshed in ${fmt(warmMs)}; 10-resource syncs`);
  // 2. Sync of a 10-resource app vs kubectl apply --server-side of the same files.
  const tenDir = mkdtempSync(join(tmpdir(), 'keelson-ten-'));
  for (let i = 0; i < 10; i++) writeFileSync(join(tenDir, `r${i}.yaml`), files[`ten/r${i}.yaml`]);
  const kubectlMs: number[] = [];
  const keelsonMs: number[] = [];
  for (let round = 0; round < 6; round++) {
    const ns1 = `ten-k-${round}`;
    const ns2 = `ten-a-${round}`;
    kubectl('create', 'namespace', ns1);
    kubectl('create', 'namespace', ns2);
    let t = performance.now();
    kubectl('apply', '--server-side', '-n', ns1, '-f', tenDir);
    if (round > 0) kubectlMs.push(performance.now() - t);
    await insertApp(`ten-${round}`, {
      source: { repoURL: repo.url, path: 'ten' },
      destination: { name: 'bench', namespace: ns2 },
    });
    controller.kick(`ten-${round}`);
    for (;;) {
      const [row] = await db.handle.db
        .select()
        .from(applications)
        .where(eq(applications.name, `ten-${round}`));
      if (row.reconciledAt) break;
      await sleep(20);
    }
    await controller.idle();
    const [app] = await db.handle.db
      .select({ id: applications.id })
      .from(applications)
      .where(eq(applications.name, `ten-${round}`));
    t = performance.now();
    const [op] = await db.handle.db
      .insert(appOperations)
      .values({
        appId: app.id,
        operation: {
          sync: { revision: 'HEAD', prune: false, dryRun: false, syncOptions: [] },
          initiatedBy: { username: 'bench' },
        },
      })
      .returning();
    controller.kick(`ten-${round}`);
    for (;;) {
      const [row] = await db.handle.db
        .select({ finishedAt: appOperations.finishedAt, phase: appOperations.phase })
        .from(appOperations)
        .where(eq(appOperations.id, op.id));
      if (row.finishedAt) {
        if (row.phase !== 'Succeeded') throw new Error(`sync failed: ${row.phase}`);
        break;
      }
      await sleep(5);
    }
    if (round > 0) keelsonMs.push(performance.now() - t);
  }

  progress('webhook to applied');
  // 3. Webhook (refresh request + NOTIFY, what POST /api/webhooks/git does) to the change applied by auto-sync.
  await insertApp('hooked', {
    source: { repoURL: hookRepo.url, path: 'hook' },
    destination: { name: 'bench', namespace: 'bench-0' },
    syncPolicy: { automated: {} },
  });
  await notifyController(deps, 'hooked');
  const value = async () =>
    (
      (await getObject(conn, { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'bench-0', name: 'hooked' }))?.data as
        Record<string, string> | undefined
    )?.v;
  while ((await value()) !== '0') await sleep(50);
  await setWebhookSecret(
    deps,
    box,
    {
      userId: '00000000-0000-0000-0000-000000000000',
      username: 'bench',
      name: null,
      role: 'admin',
      groups: [],
      via: 'token',
    },
    'github',
    WEBHOOK_SECRET,
  );
  const webhookMs: number[] = [];
  for (let i = 1; i <= 10; i++) {
    await hookRepo.commit({ 'hook/cm.yaml': cm('hooked', String(i)) }, `push ${i}`);
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: await hookRepo.sha(),
      repository: { clone_url: hookRepo.url, default_branch: 'main' },
    });
    const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
    const t = performance.now();
    const { status, result } = await handleGitPush(
      deps,
      box,
      { 'x-github-event': 'push', 'x-hub-signature-256': signature, 'content-type': 'application/json' },
      body,
    );
    // The answer counts the refreshed apps (names are not for anonymous callers): only "hooked" matches.
    if (status !== 200 || result.refreshed !== 1)
      throw new Error(`webhook answered ${status}: ${JSON.stringify(result)}`);
    while ((await value()) !== String(i)) await sleep(5);
    webhookMs.push(performance.now() - t);
  }

  const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`;
  const ratio = median(keelsonMs) / median(kubectlMs);
  console.log(`\nKeelson gitops benchmark (${(await import('node:os')).cpus().length} cores)`);
  console.log(
    `1. ${APPS} apps × 5 resources, controller start → all compared (unsynced): ${fmt(coldMs)}  (target < 10 s) ${coldMs < 10_000 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `   sync of all ${APPS} apps: ${fmt(syncAllMs)}; refresh of all synced apps (dry-run diffs): ${fmt(warmMs)}; Synced afterwards: ${synced[0].n}/${APPS}`,
  );
  console.log(
    `   controller process RSS: ${mb(rss0)} before, ${mb(rssCold)} after first compare, ${mb(rssWarm)} after sync + refresh`,
  );
  console.log(
    `2. sync of a 10-resource app: Keelson p50 ${fmt(median(keelsonMs))} vs kubectl apply --server-side p50 ${fmt(median(kubectlMs))} → ratio ${ratio.toFixed(2)}× (target ≤ 1.5×) ${ratio <= 1.5 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `   runs: keelson ${keelsonMs.map((x) => x.toFixed(0)).join(', ')} ms; kubectl ${kubectlMs.map((x) => x.toFixed(0)).join(', ')} ms`,
  );
  console.log(
    `3. webhook → resources applied: p50 ${fmt(median(webhookMs))}, max ${fmt(Math.max(...webhookMs))} (target < 2 s p50) ${median(webhookMs) < 2000 ? 'MET' : 'MISSED'}`,
  );

  await controller.stop();
  conn.close();
  await repo.cleanup();
  await hookRepo.cleanup();
  await db.stop();
  await cluster.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
