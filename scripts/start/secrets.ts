import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The key that signs sessions (and, later, encrypts credentials): from env, or generated once per data dir. */
export function secretKey(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, 'secret-key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
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
