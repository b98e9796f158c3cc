import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { lockDataDir } from '../../../scripts/start/data-dir';

/**
 * Issue 10, "Unprivileged": the data dir (secret key, passwords, Postgres files) is readable only by
 * Keelson's own user, so even a step that escaped its sandbox reads nothing there. Start-up locks a
 * data dir that an older version, a umask or an operator left open.
 */
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

function openDataDir(dirMode: number, fileMode: number): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'keelson-data-')), 'data');
  mkdirSync(dir);
  chmodSync(dir, dirMode);
  for (const f of ['secret-key', 'postgres-password', 'initial-admin-password', 'other-file']) {
    writeFileSync(path.join(dir, f), 'x\n');
    chmodSync(path.join(dir, f), fileMode);
  }
  return dir;
}

it('makes an open data dir 0700 and its secret files 0600 at start-up', () => {
  const dir = openDataDir(0o755, 0o644);
  lockDataDir(dir);
  expect(mode(dir)).toBe('700');
  for (const f of ['secret-key', 'postgres-password', 'initial-admin-password'])
    expect([f, mode(path.join(dir, f))]).toEqual([f, '600']);
  expect(mode(path.join(dir, 'other-file'))).toBe('644');
});

it('closes a world- or group-readable data dir, but keeps the group traverse bit the embedded Postgres needs', () => {
  const groupTraverse = openDataDir(0o710, 0o600);
  lockDataDir(groupTraverse);
  expect(mode(groupTraverse)).toBe('710');
  for (const open of [0o777, 0o750, 0o701]) {
    const dir = openDataDir(open, 0o640);
    lockDataDir(dir);
    expect([open.toString(8), mode(dir), mode(path.join(dir, 'secret-key'))]).toEqual([open.toString(8), '700', '600']);
  }
});

it('leaves a data dir without secret files alone but locked', () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'keelson-data-')), 'data');
  mkdirSync(dir, { mode: 0o777 });
  chmodSync(dir, 0o777);
  lockDataDir(dir);
  expect(mode(dir)).toBe('700');
});
