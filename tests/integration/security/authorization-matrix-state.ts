import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { apiTokens, clusters, pipelineRuns, repositories, users } from '../../../lib/adapters/db/schema';
import { displayPrefix } from '../../../lib/domain/auth/api-token';
import { normalizeRepoUrl } from '../../../lib/adapters/git';
import type { Principal } from '../../../lib/server/principal';
import { reconcilePipelineRun } from '../../../lib/server/pipeline/reconcile-pipeline-run';
import { secretBox } from '../../../lib/server/security/secret-box';
import { createApiToken } from '../../../lib/server/tokens/create-api-token';
import { hashToken, newApiToken } from '../../../lib/server/tokens/token-hash';
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

async function userToken(t: TestDatabase, username: string, source: string, groups: string[]): Promise<string> {
  const [u] = await t.handle.db.insert(users).values({ username, source, groups }).returning();
  const p: Principal = { userId: u.id, username, name: null, role: 'user', groups, via: 'token' };
  return (await createApiToken(t.deps(), p, { name: 'matrix' })).token;
}

/**
 * A project token of team-a's role `dev`, issued by the admin. Stored as the project token columns of
 * migration 0009 say (project + role on api_tokens), as `keelson proj role create-token` would.
 */
async function projectToken(t: TestDatabase, issuerId: string): Promise<string> {
  const token = newApiToken();
  await t.handle.db.insert(apiTokens).values({
    userId: issuerId,
    name: `proj:${TEAM}:${TEAM_ROLE}`,
    prefix: displayPrefix(token),
    tokenHash: hashToken(token),
    project: TEAM,
    role: TEAM_ROLE,
  });
  return token;
}

/** The five callers of the matrix (see authorization-matrix.ts), each with an API token. */
export async function createCallers(t: TestDatabase): Promise<CallerTokens> {
  const admin = await userToken(t, 'admin', 'local', []);
  const [adminRow] = await t.handle.db.select().from(users).where(eq(users.username, 'admin'));
  return {
    admin,
    readonly: await userToken(t, 'viewer', 'oidc', [VIEWER_GROUP]),
    team: await userToken(t, 'alice', 'oidc', [TEAM_GROUP]),
    none: await userToken(t, 'nobody', 'local', []),
    token: await projectToken(t, adminRow.id),
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
 * The fixture, created as the admin: projects, clusters, repositories and a spare account (rows: registering
 * a cluster or repository reaches out to real servers), and through the API a bitbucket webhook secret and the
 * Tekton documents and Applications of team-a and default; the two `<p>-run` runs are reconciled once so each
 * has a TaskRun (`<p>-run-echo`).
 */
export async function seedFixtures(t: TestDatabase, admin: Send): Promise<void> {
  const d = t.deps();
  await d.accessStores.projects.put(teamProject(), 'admin');
  await d.accessStores.projects.put(spareProject(), 'admin');
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
