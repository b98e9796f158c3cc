import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { connectDb } from '@/lib/adapters/db/client';
import { createAuthStores } from '@/lib/adapters/db/auth-stores';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/adapters/db/embedded-postgres';
import { runMigrations } from '@/lib/adapters/db/migrate';
import { supervisorStateWriter } from '@/lib/adapters/system/supervisor-state-file';
import { EnvError, parseEnv, publicUrl } from '@/lib/env';
import { ensureAdminUser } from '@/lib/server/auth/ensure-admin-user';
import { KEELSON_VERSION } from '@/lib/version';
import { buildIfNeeded } from './start/build-if-needed';
import { startChild, waitForHttp } from './start/children';
import { lockDataDir } from './start/data-dir';
import { createSupervisor } from './start/supervisor';
import {
  ensureKeyFiles,
  forgetInitialPassword,
  legacySecretKey,
  readInitialPassword,
  saveInitialPassword,
} from './start/secrets';

/**
 * `npm start`: Postgres (embedded unless DATABASE_URL is set), migrations, the initial admin,
 * a production build when needed, then the web server and the workers as one process tree.
 * `--role web` or `--role workers` runs one of the two, for deployments that scale them apart.
 * It supervises what it started (scripts/start/supervisor.ts): a child that exits is restarted with backoff.
 */
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[keelson] ${line}`);

async function adminCredentials(dataDir: string, databaseUrl: string, override: string | undefined): Promise<string> {
  const handle = connectDb(databaseUrl, { max: 1 });
  try {
    const now = () => new Date();
    const outcome = await ensureAdminUser({ auth: createAuthStores(handle.db, now), now }, override);
    if (override) {
      forgetInitialPassword(dataDir);
      return 'password from KEELSON_ADMIN_PASSWORD';
    }
    if (outcome.kind === 'created') {
      const file = saveInitialPassword(dataDir, outcome.password);
      return `password ${outcome.password}  (initial password, also saved in ${file})`;
    }
    const saved = readInitialPassword(dataDir);
    return saved.password
      ? `password ${saved.password}  (initial password from ${saved.file})`
      : 'the password you set (the initial one was printed on first start)';
  } finally {
    await handle.close();
  }
}

async function main() {
  const started = Date.now();
  const dev = process.argv.includes('--dev');
  const roleArg = process.argv[process.argv.indexOf('--role') + 1];
  const role = process.argv.includes('--role') ? roleArg : 'all';
  if (!['all', 'web', 'workers'].includes(role))
    throw new EnvError(`--role must be all, web or workers, not "${role}"`);
  const runWeb = role !== 'workers';
  const runWorkers = role !== 'web';
  const e = parseEnv();
  const dataDir = path.resolve(root, e.KEELSON_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  // Only Keelson's own user reads the data dir (secret key, passwords, Postgres files): not steps, not other users.
  lockDataDir(dataDir);

  const stateFile = path.join(dataDir, 'supervisor-state.json');
  const writeState = supervisorStateWriter(stateFile, (err) => log(`writing ${stateFile} failed: ${err.message}`));
  let stopping = false;
  let embedded: EmbeddedDatabase | undefined;
  const supervisor = createSupervisor({ log, onState: (s) => void writeState(s), onGiveUp: () => void shutdown(1) });
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await supervisor.stop(['web', 'workers']);
    await supervisor.stop(['postgres']);
    await embedded?.stop();
    await writeState({ pid: process.pid, updatedAt: new Date().toISOString(), children: {} });
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  let databaseUrl = e.DATABASE_URL;
  if (!databaseUrl) {
    const startPostgres = (previous?: EmbeddedDatabase) =>
      startEmbeddedPostgres({
        dataDir,
        port: previous?.port,
        socketDir: previous?.socketDir,
        log: (l) => e.KEELSON_LOG_LEVEL === 'debug' && console.log(`[postgres] ${l}`),
      });
    embedded = await startPostgres();
    databaseUrl = embedded.url;
    log(
      `embedded PostgreSQL on the Unix socket in ${embedded.socketDir} (no TCP port), data in ${path.join(dataDir, 'postgres')}`,
    );
    // Killed, it is started again on the same socket and data (it recovers from its WAL); the others reconnect.
    const first = embedded;
    supervisor.adopt('postgres', embedded, async () => (embedded = await startPostgres(first)));
  }
  await runMigrations(databaseUrl);
  const credentials = runWeb ? await adminCredentials(dataDir, databaseUrl, e.KEELSON_ADMIN_PASSWORD) : '';
  if (runWeb && !dev && !process.env.KEELSON_SKIP_BUILD) buildIfNeeded(root, log);

  const url = publicUrl(e);
  // Sessions and sealing have their own keys (data dir files, or KEELSON_SEALING_KEYS/KEELSON_SESSION_KEYS);
  // children read the files themselves, so a rotation reaches them without a restart.
  ensureKeyFiles(dataDir, {
    sealing: e.KEELSON_SEALING_KEYS,
    session: e.KEELSON_SESSION_KEYS,
    legacy: e.KEELSON_SECRET_KEY,
  });
  const legacy = legacySecretKey(dataDir, e.KEELSON_SECRET_KEY);
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: url,
    ...(legacy ? { KEELSON_SECRET_KEY: legacy } : {}),
    KEELSON_DATA_DIR: dataDir,
    KEELSON_SUPERVISOR_STATE_FILE: stateFile,
    NODE_ENV: dev ? ('development' as const) : ('production' as const),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  const supervise = (name: 'web' | 'workers', entry: string, args: string[]) => {
    const start = async () => startChild(name, root, entry, args, childEnv);
    supervisor.adopt(name, startChild(name, root, entry, args, childEnv), start);
  };
  if (stopping) return;
  if (runWeb) supervise('web', 'server.ts', dev ? ['--dev'] : []);
  if (runWorkers) supervise('workers', 'workers/main.ts', []);
  if (!runWeb) return log('workers started');
  if (!(await waitForHttp(`http://127.0.0.1:${e.PORT}/api/readyz`, 120_000, supervisor.active))) {
    if (!supervisor.active()) return;
    log('the web server did not become ready; see the output above.');
    return shutdown(1);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\n  Keelson ${KEELSON_VERSION} is ready at ${url}  (started in ${seconds} s)\n  Log in as admin with ${credentials}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
