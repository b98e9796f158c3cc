import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { connectDb } from '@/lib/adapters/db/client';
import { createAuthStores } from '@/lib/adapters/db/auth-stores';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/adapters/db/embedded-postgres';
import { runMigrations } from '@/lib/adapters/db/migrate';
import { EnvError, parseEnv, publicUrl } from '@/lib/env';
import { ensureAdminUser } from '@/lib/server/auth/ensure-admin-user';
import { KEELSON_VERSION } from '@/lib/version';
import { buildIfNeeded } from './start/build-if-needed';
import { startChild, stopChildren, waitForHttp, type Child } from './start/children';
import { lockDataDir } from './start/data-dir';
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

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = e.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir,
      log: (l) => e.KEELSON_LOG_LEVEL === 'debug' && console.log(`[postgres] ${l}`),
    });
    databaseUrl = embedded.url;
    log(`embedded PostgreSQL on 127.0.0.1:${embedded.port}, data in ${path.join(dataDir, 'postgres')}`);
  }
  const children: Child[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    await stopChildren(children, 25_000);
    await embedded?.stop();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

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
    NODE_ENV: dev ? ('development' as const) : ('production' as const),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (runWeb) children.push(startChild('web', root, 'server.ts', dev ? ['--dev'] : [], childEnv));
  if (runWorkers) children.push(startChild('workers', root, 'workers/main.ts', [], childEnv));
  for (const c of children) {
    void c.exited.then((code) => {
      if (stopping) return;
      log(`${c.name} exited unexpectedly (code ${code}); stopping everything.`);
      void shutdown(1);
    });
  }
  if (!runWeb) return log('workers started');
  const alive = () => children.every((c) => c.proc.exitCode === null);
  if (!(await waitForHttp(`http://127.0.0.1:${e.PORT}/api/readyz`, 120_000, alive))) {
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
