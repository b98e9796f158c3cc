/**
 * `npm run bench:gitops`: the Applications engine on the test control plane.
 *  0. With KEELSON_BENCH_APPS above 200: the same as 1. for a 200-app fleet first (its own controller, namespaces and
 *     apps), so that 1. prints how its times grow against that baseline in the same run
 *     (KEELSON_BENCH_BASELINE_APPS, 0 = none). KEELSON_BENCH_COMPARE_ONLY=1 measures the first compare only
 *     (fleets of 10,000 apps: their syncs take longer than a session has).
 *  1. N apps × 5 resources (KEELSON_BENCH_APPS, default 200): a controller process of its own (as a worker's) from
 *     its start to every app compared (rendered, diffed, health assessed), first unsynced; a sync of every app; then
 *     every app compared again once all are synced (dry-run diffs); that process's peak RSS.
 *  2. Sync of a 10-resource app vs `kubectl apply --server-side` of the same files (ratio, same process).
 *  3. A signed GitHub push through POST /api/webhooks/git's service to the new value live in the cluster, p50.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { appOperations, applications } from '../lib/adapters/db/schema';
import { getObject } from '../lib/adapters/k8s';
import { notifyController } from '../lib/server/gitops/notify-controller';
import { handleGitPush } from '../lib/server/webhooks/handle-git-push';
import { setWebhookSecret } from '../lib/server/webhooks/set-webhook-secret';
import { createTestRepo } from '../tests/integration/support/git-repos';
import { spawnController, stopController, watchPeakRss } from './controller-process';
import {
  cm,
  deploy,
  fiveResources,
  fleetCompared,
  fleetSynced,
  insertApp,
  insertFleet,
  mib,
  progress,
  sleep,
  startGitopsBench,
  svc,
  syncFleet,
  type GitopsBench,
} from './gitops-fleet';
import { fmt, percentile } from './support';

const APPS = Number(process.env.KEELSON_BENCH_APPS ?? 200);
const BASELINE = APPS > 200 ? Number(process.env.KEELSON_BENCH_BASELINE_APPS ?? 200) : 0;
const COMPARE_ONLY = process.env.KEELSON_BENCH_COMPARE_ONLY === '1';
const WEBHOOK_SECRET = 'bench-webhook-secret';
const median = (xs: number[]) => percentile(xs, 50);

interface FleetFigures {
  coldMs: number;
  syncAllMs: number;
  warmMs: number;
  synced: number;
  phases: Record<string, number>;
  /** The controller process's peak RSS after the first compare, and through sync and refresh. */
  rss: { cold: number; warm: number };
}

/**
 * 1. (and 0.): a fresh controller process (its own, as a worker's: the RSS is the controller's) on `count` apps of
 * `fleet`: compared, synced, compared again; stopped after.
 */
async function measureFleet(bench: GitopsBench, fleet: string, count: number): Promise<FleetFigures> {
  const t0 = new Date();
  const proc = spawnController(bench);
  const stopRss = watchPeakRss(proc);
  await proc.ready;
  const start = performance.now();
  await fleetCompared(bench, fleet, count, t0);
  const coldMs = performance.now() - start;
  const rssCold = proc.peakRss;
  progress(`${fleet}: compared ${count} apps in ${fmt(coldMs)}; controller RSS ${mib(rssCold)}`);
  if (COMPARE_ONLY) {
    stopRss();
    await stopController(proc);
    return { coldMs, syncAllMs: NaN, warmMs: NaN, synced: 0, phases: {}, rss: { cold: rssCold, warm: NaN } };
  }

  const syncStart = performance.now();
  const phases = await syncFleet(bench, fleet);
  const syncAllMs = performance.now() - syncStart;
  progress(`${fleet}: synced in ${fmt(syncAllMs)} (${JSON.stringify(phases)}); refreshing`);

  // A full refresh of synced apps (every resource dry-run diffed), asked as a push to their repository asks it.
  const t1 = new Date();
  const warm = performance.now();
  const db = bench.db.handle.db;
  const names = (
    await db.select({ name: applications.name }).from(applications).where(eq(applications.createdBy, fleet))
  ).map((r) => r.name);
  await bench.deps.gitops.apps.requestRefreshOf(names, new Date());
  await fleetCompared(bench, fleet, count, t1);
  const warmMs = performance.now() - warm;
  const synced = await fleetSynced(bench, fleet);
  stopRss();
  progress(`${fleet}: refreshed in ${fmt(warmMs)}`);
  await stopController(proc);
  return { coldMs, syncAllMs, warmMs, synced, phases, rss: { cold: rssCold, warm: proc.peakRss } };
}

async function main() {
  const bench = await startGitopsBench();
  const { db, kubectl, conn, box, deps } = bench;
  const files: Record<string, string> = {};
  for (let i = 0; i < APPS; i++) Object.assign(files, fiveResources('app', i));
  for (let i = 0; i < BASELINE; i++) Object.assign(files, fiveResources('base', i));
  for (let i = 0; i < 10; i++)
    files[`ten/r${i}.yaml`] = i < 8 ? cm(`ten-${i}`, '1') : i === 8 ? deploy('ten') : svc('ten');
  const repo = await createTestRepo({ files });
  // The webhook app has a repository of its own: a push to the fleets' repository refreshes them all (measured apart).
  const hookRepo = await createTestRepo({ files: { 'hook/cm.yaml': cm('hooked', '0') } });
  for (let n = 0; n < 10; n++) kubectl('create', 'namespace', `bench-${n}`);
  for (let n = 0; n < (BASELINE ? 10 : 0); n++) kubectl('create', 'namespace', `base-${n}`);

  // 0. The baseline fleet (then its rows go: the next controller must not see them; their objects stay).
  let base: FleetFigures | undefined;
  if (BASELINE > 0) {
    await insertFleet(bench, 'base', BASELINE, repo.url, 'base');
    base = await measureFleet(bench, 'base', BASELINE);
    await db.handle.db.delete(applications).where(eq(applications.createdBy, 'base'));
  }

  // 1. The measured fleet.
  await insertFleet(bench, 'app', APPS, repo.url, 'bench');
  const fleet = await measureFleet(bench, 'app', APPS);
  if (COMPARE_ONLY) {
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(`\nKeelson gitops benchmark, first compare only (load ${load})`);
    console.log(`1. ${APPS} apps × 5 resources, controller start → all compared (unsynced): ${fmt(fleet.coldMs)}`);
    console.log(`   controller process peak RSS: ${mib(fleet.rss.cold)}`);
    if (base)
      console.log(
        `   against ${BASELINE} apps in this run: ${fmt(base.coldMs)} (${(fleet.coldMs / base.coldMs).toFixed(2)}×)`,
      );
    await repo.cleanup();
    await hookRepo.cleanup();
    await bench.stop();
    return;
  }
  const controller = bench.controller();

  progress('10-resource syncs');
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
    await insertApp(bench, `ten-${round}`, {
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
  await insertApp(bench, 'hooked', {
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
      // The built-in admin (policy subjects are the username and groups; `role` is not one).
      username: 'admin',
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

  const ratio = median(keelsonMs) / median(kubectlMs);
  const f = fleet;
  console.log(
    `\nKeelson gitops benchmark (${(await import('node:os')).cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  console.log(
    `1. ${APPS} apps × 5 resources, controller start → all compared (unsynced): ${fmt(f.coldMs)}  (target < 10 s) ${f.coldMs < 10_000 ? 'MET' : 'MISSED'}`,
  );
  console.log(
    `   sync of all ${APPS} apps: ${fmt(f.syncAllMs)} (target < 30 s) ${f.syncAllMs < 30_000 ? 'MET' : 'MISSED'}; operations ${JSON.stringify(f.phases)}`,
  );
  console.log(
    `   refresh of all synced apps (dry-run diffs): ${fmt(f.warmMs)}; Synced afterwards: ${f.synced}/${APPS}`,
  );
  console.log(
    `   controller process peak RSS: ${mib(f.rss.cold)} through the first compare, ${mib(f.rss.warm)} through sync + refresh (target < 400 MiB) ${Math.max(f.rss.cold, f.rss.warm) < 400 * 1024 * 1024 ? 'MET' : 'MISSED'}`,
  );
  if (base) {
    const grew = (a: number, b: number) => `${(b / a).toFixed(2)}× for ${(APPS / BASELINE).toFixed(1)}× the apps`;
    console.log(
      `   against ${BASELINE} apps in this run (compared ${fmt(base.coldMs)}, synced ${fmt(base.syncAllMs)}, refreshed ${fmt(base.warmMs)}): compare ${grew(base.coldMs, f.coldMs)}, sync ${grew(base.syncAllMs, f.syncAllMs)}, refresh ${grew(base.warmMs, f.warmMs)}`,
    );
  }
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
  await repo.cleanup();
  await hookRepo.cleanup();
  await bench.stop();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
