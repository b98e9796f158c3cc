import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runningEmbeddedUrl, startEmbeddedPostgres } from '../../../lib/adapters/db/embedded-postgres';

/** The TCP ports a process listens on, from its socket inodes and /proc/net/tcp{,6}. */
function listeningTcpPorts(pid: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`)
      .map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1])
      .filter(Boolean),
  );
  return ['tcp', 'tcp6'].flatMap((file) =>
    readFileSync(`/proc/net/${file}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f[3] === '0A' && inodes.has(f[9]))
      .map((f) => parseInt(f[1].split(':')[1], 16)),
  );
}

async function show(url: string, setting: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(`SHOW ${setting}`)).rows[0] as Record<string, string>)[0];
  } finally {
    await client.end();
  }
}

describe('embedded Postgres listens on a Unix socket only (security review 16, finding 3)', () => {
  it('has no TCP port another local user could take, and its socket folder is private', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-pg-sock-'));
    const db = await startEmbeddedPostgres({ dataDir: dir, database: 'keelson' });
    try {
      expect(db.socketDir).toBe(path.join(dir, 'pg-socket'));
      expect(db.url).not.toContain('127.0.0.1');
      expect(await show(db.url, 'listen_addresses')).toBe('');
      expect(listeningTcpPorts(db.pid!)).toEqual([]);
      const mode = statSync(db.socketDir!).mode & 0o777;
      expect(mode).toBe(0o700);
      // Tools reading postmaster.pid (rotate-keys) find it through its socket too.
      expect(await runningEmbeddedUrl(dir)).toBe(db.url);
      expect(await show((await runningEmbeddedUrl(dir))!, 'unix_socket_directories')).toBe(db.socketDir);
    } finally {
      await db.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('uses a private folder under the temporary dir when the data dir is too long for a socket path', async () => {
    const base = await mkdtemp(path.join(os.tmpdir(), 'keelson-pg-long-'));
    const dir = path.join(base, 'x'.repeat(100));
    await mkdir(dir, { recursive: true });
    // As root, Postgres runs as the postgres user, which must pass through to the data dir.
    await chmod(base, 0o711);
    const db = await startEmbeddedPostgres({ dataDir: dir, database: 'keelson' });
    try {
      expect(path.dirname(db.socketDir!)).toBe(os.tmpdir());
      expect(statSync(db.socketDir!).mode & 0o777).toBe(0o700);
      expect(await show(db.url, 'listen_addresses')).toBe('');
    } finally {
      await db.stop();
      await rm(base, { recursive: true, force: true });
    }
    expect(existsSync(db.socketDir!)).toBe(false);
  }, 120_000);

  it('does not signal a postgres process of another data dir named by a stale postmaster.pid', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-pg-stale-'));
    // A process whose command line says postgres, running elsewhere: a reused pid.
    const other = spawn('bash', ['-c', 'exec -a postgres sleep 60'], { cwd: os.tmpdir(), stdio: 'ignore' });
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir, database: 'keelson' });
      await first.stop();
      await writeFile(path.join(dir, 'postgres', 'postmaster.pid'), `${other.pid}\n${dir}/postgres\n`);
      const again = await startEmbeddedPostgres({ dataDir: dir, database: 'keelson' });
      await again.stop();
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
    } finally {
      other.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
