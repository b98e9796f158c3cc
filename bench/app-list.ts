import { randomBytes } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { z } from 'zod';
import { benchDatabase, fmt, percentile } from './support';
import * as schema from '../lib/adapters/db/schema';
import { createGitopsStores } from '../lib/adapters/db/gitops-stores';
import { createServiceStores } from '../lib/adapters/db/service-stores';
import { defaultProject } from '../lib/domain/gitops/projects';
import type { Principal } from '../lib/server/principal';
import { runMigrations } from '../lib/adapters/db/migrate';
import { ZListApplicationsQuery, type THealthStatus, type TListApplicationsQuery } from '../lib/schemas/applications';
import { listApplications } from '../lib/server/gitops/applications/list-applications';
import type { GitopsStores } from '../lib/server/gitops/ports';

/**
 * `npm run bench:app-list`: GET /api/v1/applications's service with 10,000 apps in the database
 * (each with realistic resources, diffs and tree, which the list must not read): p50/p99 of the
 * first page for common queries, then each SQL statement's server time from EXPLAIN ANALYZE. The apps are spread
 * over 10 projects; each query is timed three ways in the same run: the list before authorization (baseline: one
 * SQL page, no policy), as the local admin (role:admin sees all 10,000) and as a user whose role may get one
 * project's apps (1,000 of them), both filtered by the policy before paging.
 * Uses a scratch database in DATABASE_URL's server when set, else an embedded Postgres.
 */
/** One row of `EXPLAIN (ANALYZE, FORMAT JSON)`. */
const ZExplainRow = z.object({
  'QUERY PLAN': z.tuple([z.object({ 'Execution Time': z.number(), Plan: z.object({ 'Node Type': z.string() }) })]),
});
const APPS = 10_000;
const RUNS = 50;
const PROJECTS = 10;
const TARGET_MS = 200;

async function scratchDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const db = await benchDatabase();
    return { url: db.url, stop: db.stop };
  }
  const name = `bench_apps_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = adminUrl.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  await runMigrations(url);
  return {
    url,
    stop: async () => (await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`), await admin.end()),
  };
}

function heavyColumns(i: number) {
  const resources = ['Deployment', 'Service', 'ConfigMap', 'Ingress', 'ServiceAccount'].map((kind) => ({
    group: kind === 'Deployment' ? 'apps' : kind === 'Ingress' ? 'networking.k8s.io' : '',
    version: 'v1',
    kind,
    namespace: `ns-${i % 40}`,
    name: `app-${i}`,
    status: 'Synced' as const,
    health: { status: 'Healthy' as const },
  }));
  const manifest = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n' + '  x: y\n'.repeat(60);
  const diffs = Object.fromEntries(
    resources.map((r) => [
      `${r.group}/${r.kind}/${r.namespace}/${r.name}`,
      { diff: '', live: manifest, desired: manifest },
    ]),
  );
  const tree = resources.map((r) => ({
    key: `${r.group}/${r.kind}/${r.namespace}/${r.name}`,
    ...r,
    parents: [],
    sync: r.status,
  }));
  return { resources, diffs, tree };
}

async function seed(db: ReturnType<typeof drizzle<typeof schema>>) {
  const health: THealthStatus[] = [
    'Healthy',
    'Healthy',
    'Healthy',
    'Progressing',
    'Degraded',
    'Missing',
    'Suspended',
    'Unknown',
  ];
  for (let start = 0; start < APPS; start += 500) {
    const rows = Array.from({ length: Math.min(500, APPS - start) }, (_, k) => {
      const i = start + k;
      const repo = `https://github.com/acme/repo-${i % 100}`;
      return {
        name: `app-${String(i).padStart(5, '0')}`,
        spec: {
          project: `team-${i % PROJECTS}`,
          source: { repoURL: repo, targetRevision: 'main', path: `apps/${i}` },
          destination: { name: `cluster-${i % 5}`, namespace: `ns-${i % 40}` },
          syncPolicy: { syncOptions: [] },
          revisionHistoryLimit: 10,
          ignoreDifferences: [],
        },
        project: `team-${i % PROJECTS}`,
        repoUrl: repo,
        normalizedRepoUrl: repo,
        targetRevision: 'main',
        path: `apps/${i}`,
        clusterName: `cluster-${i % 5}`,
        destNamespace: `ns-${i % 40}`,
        healthStatus: health[i % health.length],
        syncStatus: i % 7 === 0 ? ('OutOfSync' as const) : ('Synced' as const),
        revision: 'f'.repeat(40),
        createdBy: 'bench',
        ...heavyColumns(i),
      };
    });
    const ids = await db.insert(schema.applications).values(rows).returning({ id: schema.applications.id });
    const operation = {
      sync: { revision: 'main', prune: false, dryRun: false, syncOptions: [] },
      initiatedBy: { username: 'bench' },
    };
    await db
      .insert(schema.appOperations)
      .values(ids.map(({ id }) => ({ appId: id, operation, phase: 'Succeeded' as const, finishedAt: new Date() })));
  }
}

const QUERIES: [string, Partial<TListApplicationsQuery>][] = [
  ['first page', {}],
  ['health=Degraded', { health: 'Degraded' }],
  ['sync=OutOfSync, cluster', { sync: 'OutOfSync', cluster: 'cluster-2' }],
  ['cluster + namespace', { cluster: 'cluster-1', namespace: 'ns-11' }],
  ['search "app-01"', { search: 'app-01' }],
  ['page 100 (offset 4950)', { offset: 4950 }],
];

/** The list as it was before authorization: one SQL page (with total and facets), then the page's phases. */
async function baseline(gitops: GitopsStores, q: TListApplicationsQuery) {
  const page = await gitops.apps.page(q);
  await gitops.operations.latestPhases(page.rows.map((r) => r.id));
  return page;
}

const who = (username: string): Principal => ({
  userId: '00000000-0000-4000-8000-000000000000',
  username,
  name: null,
  role: 'user',
  groups: [],
  via: 'session',
});

async function timed(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times;
}

async function main() {
  const scratch = await scratchDatabase();
  const pool = new pg.Pool({ connectionString: scratch.url, max: 10 });
  let capture: { sql: string; params: unknown[] }[] | undefined;
  const db = drizzle(pool, { schema, logger: { logQuery: (sql, params) => capture?.push({ sql, params }) } });
  const now = () => new Date();
  const gitops = createGitopsStores(db, now);
  const services = createServiceStores(db, now);
  try {
    const t0 = performance.now();
    await seed(db);
    for (let p = 0; p < PROJECTS; p++) {
      const project = defaultProject();
      project.metadata.name = `team-${p}`;
      await services.accessStores.projects.put(project, 'bench');
    }
    await services.accessStores.rbac.put(
      {
        'policy.default': '',
        'policy.csv': 'p, role:team-3, applications, get, team-3/*, allow\ng, dev3, role:team-3',
      },
      'bench',
    );
    // A fresh Access per call, as every request builds its deps (the policy snapshot is shared while unchanged).
    const deps = () => ({ gitops, now, access: createServiceStores(db, now).access });
    await pool.query('VACUUM ANALYZE applications');
    await pool.query('VACUUM ANALYZE app_operations');
    console.log(`seeded ${APPS} apps (+ one operation each) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    console.log(`\nlistApplications, ${RUNS} runs each (target: first page < ${TARGET_MS} ms), p50 / p99:`);
    console.log(
      `  ${'query'.padEnd(26)} ${'baseline (no policy)'.padEnd(24)} ${'admin (all)'.padEnd(24)} team-3 role (1/10)`,
    );
    const cell = (times: number[]) =>
      `${fmt(percentile(times, 50)).padStart(9)} / ${fmt(percentile(times, 99)).padStart(9)}`.padEnd(24);
    for (const [label, q] of QUERIES) {
      const query = ZListApplicationsQuery.parse(q);
      const base = await timed(() => baseline(gitops, query));
      const asAdmin = await timed(() => listApplications(deps(), who('admin'), query));
      const asTeam = await timed(() => listApplications(deps(), who('dev3'), query));
      console.log(`  ${label.padEnd(26)} ${cell(base)} ${cell(asAdmin)} ${cell(asTeam)}`);
    }
    const team = await listApplications(deps(), who('dev3'), ZListApplicationsQuery.parse({}));
    console.log(`\nteam-3 sees ${team.total} apps (facets ${JSON.stringify(team.facets.health)})`);
    console.log('\nSQL server time of the first page (EXPLAIN ANALYZE):');
    capture = [];
    await listApplications(deps(), who('admin'), ZListApplicationsQuery.parse({}));
    const statements = capture;
    capture = undefined;
    for (const { sql, params } of statements) {
      const { rows } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      const plan = ZExplainRow.parse(rows[0])['QUERY PLAN'][0];
      console.log(
        `  ${fmt(plan['Execution Time']).padStart(9)}  ${plan.Plan['Node Type'].padEnd(16)} ${sql.replace(/\s+/g, ' ').slice(0, 110)}…`,
      );
    }
  } finally {
    await pool.end();
    await scratch.stop();
  }
}

await main();
