import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createKeyFile, keysDir, newKey, readKeyFile, type KeyKind } from '@/lib/adapters/keys/key-files';

/**
 * The one key of installs from before separate keys (sessions and sealing both): from env, or the data
 * dir's `secret-key` file when an older version made one. Never created any more; kept so those
 * installs' sealed values and sessions stay readable until `npm run keys:rotate -- --retire`.
 */
export function legacySecretKey(dataDir: string, fromEnv: string | undefined): string | undefined {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secret-key');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * First start: one sealing key and one session key, independent, in the data dir's `keys/` folder
 * (0700, files 0600). Not when the keys come from the environment: KEELSON_SEALING_KEYS and
 * KEELSON_SESSION_KEYS, or KEELSON_SECRET_KEY set by a deployment (docker compose, Kubernetes) whose
 * processes do not share one data dir: a key made in one container would be unknown to the others.
 */
export function ensureKeyFiles(
  dataDir: string,
  fromEnv: Record<KeyKind, readonly string[]> & { legacy?: string },
): void {
  if (fromEnv.legacy) return;
  const dir = keysDir(dataDir);
  for (const kind of ['sealing', 'session'] as const) {
    if (fromEnv[kind].length === 0 && readKeyFile(dir, kind).keys.length === 0) createKeyFile(dir, kind, [newKey()]);
  }
}

const INITIAL_PASSWORD = 'initial-admin-password';

/** Like Argo CD's argocd-initial-admin-secret: readable by the owner only, until deleted. */
export function saveInitialPassword(dataDir: string, password: string): string {
  const file = path.join(dataDir, INITIAL_PASSWORD);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return file;
}

export function readInitialPassword(dataDir: string): { file: string; password?: string } {
  const file = path.join(dataDir, INITIAL_PASSWORD);
  return { file, password: existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined };
}

export function forgetInitialPassword(dataDir: string): void {
  rmSync(path.join(dataDir, INITIAL_PASSWORD), { force: true });
}
