import { chmodSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** Files beside the Postgres data that only Keelson's user may read. */
const SECRETS = ['secret-key', 'postgres-password', 'initial-admin-password'];

/**
 * The data dir is Keelson's alone: mode 0700 (the embedded Postgres, running as `postgres` when
 * Keelson is root, is let through by group only: see embedded-postgres.ts), and the secrets in it
 * 0600, whatever an older version or a umask left. Steps run as another user and read nothing here.
 */
export function lockDataDir(dataDir: string): void {
  const mode = statSync(dataDir).mode & 0o777;
  if ((mode & 0o007) !== 0 || (mode & 0o070 & ~0o010) !== 0) chmodSync(dataDir, 0o700);
  for (const name of SECRETS) {
    const file = path.join(dataDir, name);
    if (existsSync(file) && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  }
}
