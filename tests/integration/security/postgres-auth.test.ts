import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../lib/adapters/db/embedded-postgres';

/** What the server asks a client that says hello: the authentication request code and its payload. */
async function authRequest(port: number): Promise<{ code: number; mechanisms: string[] }> {
  const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4); // protocol 3.0
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(Buffer.concat([head, params])));
    let data = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 9) return;
      socket.destroy();
      if (data[0] !== 'R'.charCodeAt(0))
        return reject(new Error(`expected an authentication request, got ${String.fromCharCode(data[0])}`));
      const length = data.readInt32BE(1);
      const code = data.readInt32BE(5);
      const mechanisms = data
        .subarray(9, 1 + length)
        .toString()
        .split('\0')
        .filter(Boolean);
      resolve({ code, mechanisms });
    });
    socket.on('error', reject);
  });
}

const AUTH_CLEARTEXT = 3;
const AUTH_SASL = 10;

async function authSettings(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const methods = (
      await client.query<{ auth_method: string }>('SELECT DISTINCT auth_method FROM pg_hba_file_rules')
    ).rows.map((r) => r.auth_method);
    const [verifier] = (
      await client.query<{ rolpassword: string }>(`SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'`)
    ).rows;
    const [encryption] = (await client.query<{ password_encryption: string }>('SHOW password_encryption')).rows;
    return { methods, verifier: verifier.rolpassword, encryption: encryption.password_encryption };
  } finally {
    await client.end();
  }
}

describe('embedded Postgres authenticates with scram-sha-256 (hole 13)', () => {
  it('never asks a client for its password in clear, and stores only a SCRAM verifier', async () => {
    const url = inject('postgresAdminUrl');
    const port = Number(new URL(url).port);
    const asked = await authRequest(port);
    expect(asked.code).not.toBe(AUTH_CLEARTEXT);
    expect(asked).toEqual({ code: AUTH_SASL, mechanisms: ['SCRAM-SHA-256'] });
    const settings = await authSettings(url);
    expect(settings.methods).toEqual(['scram-sha-256']);
    expect(settings.verifier).toMatch(/^SCRAM-SHA-256\$/);
    expect(settings.encryption).toBe('scram-sha-256');
  });

  it('an install made with cleartext `password` auth is switched to scram-sha-256 at the next start', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keelson-pg-auth-'));
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', loopbackTcp: true });
      await first.stop();
      const hba = path.join(dir, 'postgres', 'pg_hba.conf');
      // What older Keelson versions wrote (embedded-postgres' default auth method).
      await writeFile(hba, (await readFile(hba, 'utf8')).replaceAll('scram-sha-256', 'password'));
      const again = await startEmbeddedPostgres({ dataDir: dir, database: 'postgres', loopbackTcp: true });
      try {
        expect(await authRequest(again.port)).toEqual({ code: AUTH_SASL, mechanisms: ['SCRAM-SHA-256'] });
        expect((await authSettings(again.url)).methods).toEqual(['scram-sha-256']);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
