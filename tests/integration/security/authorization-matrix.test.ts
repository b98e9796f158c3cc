import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openApiDocument } from '../../../lib/schemas/openapi';
import { PER_CALLER, RBAC_NO_DEFAULT_ROLE } from '../../fixtures/access/matrix-fixtures';
import { conformanceProblem } from '../support/response-conformance';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { MATRIX } from './authorization-matrix';
import { CALLERS, type Caller, type Cell, type Refusal, type Send } from './authorization-matrix-cells';
import { startMatrixServer, type MatrixServer } from './authorization-matrix-server';
import {
  changedTables,
  createCallers,
  databaseDigest,
  seedFixtures,
  seedProjects,
  type CallerTokens,
} from './authorization-matrix-state';
import { installTestWebContext, webEnv } from './web-support';

/**
 * Issue 12's route × role matrix: every operation of the OpenAPI document, sent as real HTTP requests to the
 * web server by five callers, answers as the table in authorization-matrix.ts says; a refusal is a 403 naming
 * {resource, action, object} and leaves every table but the audit log as it was.
 */
let t: TestDatabase;
let server: MatrixServer;
let tokens: CallerTokens;
let pool: pg.Pool;

/** The argocd-rbac-cm each caller is checked under (null: a fresh install, nothing applied). */
const INSTALLATION: Record<Caller, Record<string, string> | null> = {
  admin: null,
  readonly: null,
  team: RBAC_NO_DEFAULT_ROLE,
  none: RBAC_NO_DEFAULT_ROLE,
  token: RBAC_NO_DEFAULT_ROLE,
};
const FRESH_INSTALL = { 'policy.default': 'role:readonly' };

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  server = await startMatrixServer();
  pool = new pg.Pool({ connectionString: t.url, max: 2 });
  await seedProjects(t);
  tokens = await createCallers(t);
  await seedFixtures(t, (method, path, init) => send(tokens.admin, method, path, init));
}, 180_000);
afterAll(async () => {
  await server?.close();
  await pool?.end();
});

function send(
  token: string | undefined,
  method: string,
  path: string,
  init: { json?: unknown; yaml?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.yaml !== undefined) [body, headers['content-type']] = [init.yaml, 'application/yaml'];
  else if (init.json !== undefined) [body, headers['content-type']] = [JSON.stringify(init.json), 'application/json'];
  return fetch(`${server.url}${path}`, { method, headers, body, signal: AbortSignal.timeout(20_000) });
}

/** `$caller` in a name: the caller's own copy of an object its cell deletes. */
const forCaller = (value: string, caller: Caller | undefined) => value.replace(PER_CALLER, caller ?? 'admin');

/** Sends a cell's request as the caller (anonymously without one); a log stream is left once its head arrived. */
async function sendCell(caller: Caller | undefined, operation: string, cell: Send) {
  const [method, template] = operation.split(' ');
  const param = (k: string) => encodeURIComponent(forCaller(cell.params?.[k] ?? `no-${k}`, caller));
  const path = template.replace(/\{(\w+)\}/g, (_, k: string) => param(k));
  const token = caller && tokens[caller];
  const res = await send(token, method, cell.query ? `${path}?${cell.query}` : path, {
    json: cell.body,
    yaml: cell.yaml,
    headers: cell.headers,
  });
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, text: '' };
  }
  return { status: res.status, text: await res.text() };
}

const operations = () =>
  Object.entries(openApiDocument().paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );

const matches = (want: string | RegExp, got: unknown) =>
  typeof got === 'string' && (typeof want === 'string' ? want === got : want.test(got));

function refusalProblem(text: string, want: Refusal, caller: Caller): string | undefined {
  let denied: Record<string, unknown> | undefined;
  try {
    denied = (JSON.parse(text) as { error?: { denied?: Record<string, unknown> } }).error?.denied;
  } catch {
    /* not JSON: reported below */
  }
  if (!denied) return `a 403 without error.denied: ${text.slice(0, 200)}`;
  const expected = (k: keyof Refusal) => {
    const w = want[k];
    return typeof w === 'string' ? forCaller(w, caller) : w;
  };
  const wrong = (['resource', 'action', 'object'] as const).filter((k) => !matches(expected(k), denied[k]));
  return wrong.length
    ? `refused on ${JSON.stringify(denied)}, the table says ${String(Object.values(want))}`
    : undefined;
}

it('has one entry for every operation of the OpenAPI document, and none for an operation it lacks', () => {
  const documented = operations();
  const missing = documented.filter((op) => !(op in MATRIX));
  expect(missing.map((op) => `no matrix entry for ${op}: add one to authorization-matrix.ts`)).toEqual([]);
  expect(Object.keys(MATRIX).filter((op) => !documented.includes(op))).toEqual([]);
  const unexplained = Object.entries(MATRIX).flatMap(([op, e]) =>
    Array.isArray(e) ? e.filter((c) => c.expect.includes('D') && !c.denied).map(() => op) : [],
  );
  expect(unexplained).toEqual([]);
});

it('without credentials: 401 from every operation but the public ones, which answer without a principal', async () => {
  const wrong: string[] = [];
  for (const [op, entry] of Object.entries(MATRIX)) {
    const cell = Array.isArray(entry) ? entry[0] : entry;
    const { status, text } = await sendCell(undefined, op, cell);
    const askedForLogin = status === 401 && text.includes('Authentication required.');
    if (Array.isArray(entry) ? !askedForLogin : askedForLogin || !entry.status.includes(status))
      wrong.push(`${op}: ${status} ${text.slice(0, 160)}`);
    const undocumented = conformanceProblem(op, status, text);
    if (undocumented) wrong.push(`${op}: not as documented: ${undocumented}`);
  }
  expect(wrong).toEqual([]);
});

interface Run {
  op: string;
  index: number;
  cell: Cell;
  caller: Caller;
  allow: boolean;
}

async function installFor(caller: Caller): Promise<void> {
  const rbac = t.deps().accessStores.rbac;
  const want = INSTALLATION[caller];
  const stored = await rbac.get();
  if (!want && !stored) return;
  if (JSON.stringify(stored?.data) !== JSON.stringify(want ?? FRESH_INSTALL))
    await rbac.put(want ?? FRESH_INSTALL, 'matrix');
}

/** Refusals first (they change nothing, so every one meets the whole fixture), then the allowed cells. */
function schedule(): Run[] {
  const runs = Object.entries(MATRIX).flatMap(([op, entry]) =>
    Array.isArray(entry)
      ? entry.flatMap((cell, index) =>
          CALLERS.map((caller, i) => ({ op, index, cell, caller, allow: cell.expect[i] === 'A' })),
        )
      : [],
  );
  // Within each group the narrowest callers first: they use up the spare objects before the admin does.
  const order = (r: Run) => (r.allow ? 2 : 0) + (INSTALLATION[r.caller] ? 0 : 1);
  return runs.sort((a, b) => order(a) - order(b));
}

/** What a list showed that the caller may not get, or left out that it may. */
function visibilityProblems(run: Run, text: string): string[] {
  const i = CALLERS.indexOf(run.caller);
  return Object.entries(run.cell.sees ?? {}).flatMap(([item, expect]) => {
    const shown = text.includes(JSON.stringify(item));
    const want = expect[i] === 'A';
    return shown === want ? [] : [`${want ? 'left out' : 'showed'} ${item}`];
  });
}

it('answers every caller as the table says; a refusal names what was refused and changes nothing', async () => {
  const started = Date.now();
  const mismatches: string[] = [];
  const runs = schedule();
  for (const run of runs) {
    await installFor(run.caller);
    const before = run.allow ? undefined : await databaseDigest(pool);
    const { status, text } = await sendCell(run.caller, run.op, run.cell);
    const params = JSON.stringify(run.cell.params ?? {}).replace(PER_CALLER, run.caller);
    const where = `${run.op} #${run.index} ${params} · ${run.caller}`;
    const got = `${status} ${text.slice(0, 200)}`;
    const undocumented = conformanceProblem(run.op, status, text);
    if (undocumented) mismatches.push(`${where}: not as documented: ${undocumented}`);
    if (run.allow) {
      if (status === 401 || status === 403 || status >= 500) mismatches.push(`${where}: expected allow, got ${got}`);
      else mismatches.push(...visibilityProblems(run, text).map((p) => `${where}: ${p}`));
      continue;
    }
    if (status !== 403) mismatches.push(`${where}: expected 403, got ${got}`);
    else {
      const problem = refusalProblem(text, run.cell.denied!, run.caller);
      if (problem) mismatches.push(`${where}: ${problem}`);
    }
    const changed = changedTables(before!, await databaseDigest(pool));
    if (changed.length) mismatches.push(`${where}: refused (${status}) but changed ${changed.join(', ')}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`[matrix] ${runs.length} cells in ${seconds} s, ${mismatches.length} mismatches`);
  expect(mismatches).toEqual([]);
}, 600_000);
