import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Keys kept in the data dir (`keys/sealing.keys`, `keys/session.keys`): one secret per line, newest
 * (the active one) first; `#` starts a comment. The folder is 0700 and the files 0600, readable only by
 * Keelson's own user. Files rather than the database, so a database dump never holds the keys.
 */
export type KeyKind = 'sealing' | 'session';

export interface KeyFile {
  keys: string[];
  /** Changes whenever the file is rewritten (mtime and size); '' when there is no file. */
  version: string;
}

export const keysDir = (dataDir: string) => path.join(dataDir, 'keys');
const fileOf = (dir: string, kind: KeyKind) => path.join(dir, `${kind}.keys`);

export function keyFileVersion(dir: string, kind: KeyKind): string {
  try {
    const st = statSync(fileOf(dir, kind));
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return '';
  }
}

export function readKeyFile(dir: string, kind: KeyKind): KeyFile {
  const version = keyFileVersion(dir, kind);
  if (!version) return { keys: [], version };
  const keys = readFileSync(fileOf(dir, kind), 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l.length >= 32);
  return { keys, version };
}

function writeTemp(dir: string, kind: KeyKind, keys: readonly string[]): { tmp: string; target: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const target = fileOf(dir, kind);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `# newest first; the first key is the active one\n${keys.join('\n')}\n`, { mode: 0o600 });
  return { tmp, target };
}

/** Replaces the file in one rename, so a process reading it sees the old list or the new one, never half. */
export function writeKeyFile(dir: string, kind: KeyKind, keys: readonly string[]): void {
  const { tmp, target } = writeTemp(dir, kind, keys);
  renameSync(tmp, target);
}

/** Creates the file only if there is none (a hard link fails on an existing name): of two racing starts, one key wins. */
export function createKeyFile(dir: string, kind: KeyKind, keys: readonly string[]): boolean {
  const { tmp, target } = writeTemp(dir, kind, keys);
  try {
    linkSync(tmp, target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export function newKey(): string {
  return randomBytes(32).toString('base64url');
}
