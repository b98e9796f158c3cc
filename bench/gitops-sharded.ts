/**
 * `npm run bench:gitops:sharded`: the gitops controller sharded over processes. N apps × 5 resources
 * (KEELSON_BENCH_APPS, default 1000) on the test control plane, compared once by ONE controller process and once by
 * TWO (real child processes on the same database, sharing the apps through their membership leases). Each round
 * starts its processes on fresh data dirs, waits until they see each other, then asks a refresh of every app (as a
 * push to their repository does) and times it until every app was compared. Prints the time per round, the apps
 * each process compared (its `refreshed` lines), the two/one ratio, and how many apps both processes compared (from
 * their reports: must be 0).
 */
import { eq, sql } from 'drizzle-orm';
import { applications, controllerMembers } from '../lib/adapters/db/schema';
import { createTestRepo } from '../tests/integration/support/git-repos';
import { spawnController, stopController, watchPeakRss, type ControllerProcess } from './controller-process';
import {
  fiveResources,
  fleetCompared,
  insertFleet,
  mib,
  progress,
  startGitopsBench,
  until,
  type GitopsBench,
} from './gitops-fleet';
import { fmt } from './support';

const APPS = Number(process.env.KEELSON_BENCH_APPS ?? 1000);
const FLEET = 'app';
const LEASE_SECONDS = 3;
/** How long a round may take: 15 min, more for large fleets (a loaded machine compares a few apps a second). */
const ROUND_TIMEOUT_MS = Math.max(900_000, APPS * 300);

/** Starts `n` controller processes, waits until they are all members, then times a refresh of every app. */
async function round(bench: GitopsBench, n: number): Promise<{ ms: number; processes: ControllerProcess[] }> {
  const db = bench.db.handle.db;
  const processes = Array.from({ length: n }, () => spawnController(bench, { leaseSeconds: LEASE_SECONDS }));
  await until(
    `${n} controllers to join`,
    async () => {
      const [{ live }] = await db
        .select({ live: sql<number>`count(*)::int` })
        .from(controllerMembers)
        .where(sql`${controllerMembers.leaseUntil} > now()`);
      return live === n || `${live} live`;
    },
    120_000,
    100,
  );
  // Every member renews (and reads the members) every lease/3: after two of those all agree.
  await new Promise((r) => setTimeout(r, ((LEASE_SECONDS * 1000) / 3) * 2 + 200));
  const rss = processes.map(watchPeakRss);
  const since = new Date();
  const start = performance.now();
  // As a push to their shared repository asks it (POST /api/webhooks/git): a normal refresh of each, asked now.
  const names = (
    await db.select({ name: applications.name }).from(applications).where(eq(applications.createdBy, FLEET))
  ).map((r) => r.name);
  await bench.deps.gitops.apps.requestRefreshOf(names, new Date());
  await fleetCompared(bench, FLEET, APPS, since, ROUND_TIMEOUT_MS);
  const ms = performance.now() - start;
  for (const stop of rss) stop();
  await Promise.all(processes.map(stopController));
  return { ms, processes };
}

async function main() {
  const bench = await startGitopsBench();
  const files: Record<string, string> = {};
  for (let i = 0; i < APPS; i++) Object.assign(files, fiveResources(FLEET, i));
  const repo = await createTestRepo({ files });
  for (let n = 0; n < 10; n++) bench.kubectl('create', 'namespace', `shard-${n}`);
  await insertFleet(bench, FLEET, APPS, repo.url, 'shard');
  // Not due until a round asks: both rounds compare the same apps from the same state.
  await bench.db.handle.db
    .update(applications)
    .set({ reconciledGeneration: applications.generation, nextReconcileAt: sql`now() + interval '1 day'` })
    .where(eq(applications.createdBy, FLEET));

  // KEELSON_BENCH_TWO_ONLY=1: the two-process round alone (no ratio; a 10,000-app one-process round takes minutes).
  const twoOnly = process.env.KEELSON_BENCH_TWO_ONLY === '1';
  progress(`${APPS} apps × 5 resources; ${twoOnly ? 'two controller processes only' : 'one controller process'}`);
  const one = twoOnly ? undefined : await round(bench, 1);
  if (one) progress(`one process: ${fmt(one.ms)}; two controller processes`);
  const two = await round(bench, 2);
  const [a, b] = two.processes;
  const both = [...a.compared].filter((app) => b.compared.has(app)).length;

  console.log(`\nbench:gitops:sharded: ${APPS} apps × 5 resources, every app refreshed, until all compared`);
  if (one)
    console.log(
      `  one process:  ${fmt(one.ms)}; it compared ${one.processes[0].compared.size} apps (peak RSS ${mib(one.processes[0].peakRss)})`,
    );
  console.log(
    `  two processes: ${fmt(two.ms)}; process 1 compared ${a.compared.size}, process 2 compared ${b.compared.size} (peak RSS ${mib(a.peakRss)}, ${mib(b.peakRss)})`,
  );
  if (one) console.log(`  ratio two/one: ${(two.ms / one.ms).toFixed(2)}`);
  console.log(`  apps handled by two processes: ${both}${both === 0 ? '' : ' (MISSED: must be 0)'}`);
  if (APPS >= 10_000) console.log(`  ${APPS} apps with two processes < 120 s: ${two.ms < 120_000 ? 'MET' : 'MISSED'}`);

  await repo.cleanup();
  await bench.stop();
  if (both !== 0 || a.compared.size + b.compared.size < APPS) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
