import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { inArray } from 'drizzle-orm';
import pg from 'pg';
import { clusters, pipelineRuns, repositories, users } from '../../../lib/adapters/db/schema';
import { normalizeRepoUrl } from '../../../lib/adapters/git';
import type { Principal } from '../../../lib/server/principal';
import { reconcilePipelineRun } from '../../../lib/server/pipeline/reconcile-pipeline-run';
import { secretBox } from '../../../lib/server/security/secret-box';
import { createApiToken } from '../../../lib/server/tokens/create-api-token';
import { createProjectToken } from '../../../lib/server/tokens/create-project-token';
import {
  APPS,
  CLUSTER,
  REPO_URL,
  SPARE_ACCOUNT,
  SPARE_CLUSTER,
  SPARE_REPO_URL,
  spareProject,
  TEAM,
  TEAM_GROUP,
  TEAM_ROLE,
  teamProject,
  tektonYaml,
  VIEWER_GROUP,
} from '../../fixtures/access/matrix-fixtures';
import type { TestDatabase } from '../support/test-database';
import type { Caller } from './authorization-matrix-cells';

/** Each caller's bearer token. */
export type CallerTokens = Record<Caller, string>;

async function user(t: TestDatabase, username: string, source: string, groups: string[]): Promise<Principal> {
  const [u] = await t.handle.db.insert(users).values({ username, source, groups }).returning();
  return { userId: u.id, username, name: null, role: 'user', groups, via: 'token' };
}

async function userToken(t: TestDatabase, username: string, source: string, groups: string[]): Promise<string> {
  return (await createApiToken(t.deps(), await user(t, username, source, groups), { name: 'matrix' })).token;
}

/** A project token of team-a's role `dev`, issued by the admin through the use case `keelson proj role create-token` calls. */
async function projectToken(t: TestDatabase, issuer: Principal): Promise<string> {
  return (await createProjectToken(t.deps(), issuer, TEAM, TEAM_ROLE, { id: 'matrix' })).token;
}

/** The AppProjects team-a (its role `dev` is what the project token acts as) and spare. */
export async function seedProjects(t: TestDatabase): Promise<void> {
  await t.deps().accessStores.projects.put(teamProject(), 'admin');
  await t.deps().accessStores.projects.put(spareProject(), 'admin');
}

/** The five callers of the matrix (see authorization-matrix.ts), each with an API token. */
export async function createCallers(t: TestDatabase): Promise<CallerTokens> {
  const admin = await user(t, 'admin', 'local', []);
  return {
    admin: (await createApiToken(t.deps(), admin, { name: 'matrix' })).token,
    readonly: await userToken(t, 'viewer', 'oidc', [VIEWER_GROUP]),
    team: await userToken(t, 'alice', 'oidc', [TEAM_GROUP]),
    none: await userToken(t, 'nobody', 'local', []),
    token: await projectToken(t, admin),
  };
}

/**
 * Tables whose rows may change without the refused request having changed anything: the audit log (it may
 * record the refusal). Columns that authentication itself touches (a token's last use, a login's time) are
 * left out of every row's digest for the same reason.
 */
const NOT_COMPARED = new Set(['audit_log', '__drizzle_migrations']);

/** Row count and md5 of the sorted rows of every other table of the public schema. */
export async function databaseDigest(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const parts = tables
    .filter((x) => !NOT_COMPARED.has(x.name))
    .map(
      (x) =>
        `SELECT '${x.name}' AS name, count(*)::int AS n, md5(coalesce(string_agg(s.j, '|' ORDER BY s.j), '')) AS h ` +
        `FROM (SELECT (to_jsonb(r) - 'last_used_at' - 'last_login_at')::text AS j FROM "${x.name}" r) s`,
    );
  const { rows } = await pool.query<{ name: string; n: number; h: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.name, `${r.n} rows, ${r.h}`]));
}

/** The tables whose digest differs. */
export const changedTables = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys({ ...before, ...after }).filter((k) => before[k] !== after[k]);

type Send = (method: string, path: string, init?: { json?: unknown; yaml?: string }) => Promise<Response>;

/**
 * The rest of the fixture, created as the admin: clusters, repositories and a spare account (rows: registering
 * a cluster or repository reaches out to real servers), and through the API a bitbucket webhook secret and the
 * Tekton documents and Applications of team-a and default; the two `<p>-run` runs are reconciled once so each
 * has a TaskRun (`<p>-run-echo`).
 */
export async function seedFixtures(t: TestDatabase, admin: Send): Promise<void> {
  const d = t.deps();
  const box = secretBox(process.env.KEELSON_SECRET_KEY!);
  await t.handle.db.insert(clusters).values(
    [CLUSTER, SPARE_CLUSTER].map((c) => ({
      ...c,
      sealedCredentials: box.seal(JSON.stringify({ type: 'token', server: c.server, token: 'cluster-token' })),
      createdBy: 'admin',
    })),
  );
  await t.handle.db
    .insert(repositories)
    .values(
      [REPO_URL, SPARE_REPO_URL].map((url) => ({ url, normalizedUrl: normalizeRepoUrl(url), createdBy: 'admin' })),
    );
  for (const [p, ns] of [
    ['a', TEAM],
    ['d', 'default'],
  ]) {
    const res = await admin('POST', '/api/v1/apply', { yaml: tektonYaml(p, ns) });
    if (res.status !== 201) throw new Error(`fixture: apply ${ns}: ${res.status} ${await res.text()}`);
  }
  await t.handle.db.insert(users).values({ username: SPARE_ACCOUNT, source: 'local' });
  const secret = await admin('PUT', '/api/v1/settings/webhooks/bitbucket', { json: { secret: 'matrix-bitbucket' } });
  if (secret.status !== 200) throw new Error(`fixture: webhook secret: ${secret.status} ${await secret.text()}`);
  for (const app of APPS) {
    const res = await admin('POST', '/api/v1/applications', { json: app });
    if (res.status !== 201) throw new Error(`fixture: app ${app.metadata.name}: ${res.status} ${await res.text()}`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-matrix-'));
  const ed = { ...d, box, runsDir: path.join(dir, 'runs'), volumesDir: path.join(dir, 'volumes') };
  const runs = await t.handle.db
    .select({ id: pipelineRuns.id })
    .from(pipelineRuns)
    .where(inArray(pipelineRuns.name, ['a-run', 'd-run']));
  for (const run of runs) await reconcilePipelineRun(ed, run.id);
}
