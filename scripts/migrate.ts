import { runMigrations } from '@/lib/adapters/db/migrate';
import { EnvError, parseEnv } from '@/lib/env';

/**
 * `node --import tsx scripts/migrate.ts` (`npm run db:migrate`): applies pending migrations to DATABASE_URL and
 * exits, for a deployment that migrates once before its web pods start (deploy/kubernetes: an init container).
 * Waits up to two minutes for the database to accept connections (a Postgres pod may start at the same time).
 */
async function main() {
  const url = parseEnv().DATABASE_URL;
  if (!url) throw new EnvError('Invalid configuration:\n  DATABASE_URL: required to run migrations.');
  const until = Date.now() + 120_000;
  for (let attempt = 1; ; attempt++) {
    try {
      await runMigrations(url);
      console.log('[migrate] the database schema is up to date');
      return;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (Date.now() > until) throw new Error(`migrations failed: ${message}`);
      console.log(`[migrate] attempt ${attempt}: ${message}; trying again in 3 s`);
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof EnvError ? err.message : err);
    process.exit(1);
  },
);
