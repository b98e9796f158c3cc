import { rmSync } from 'node:fs';
import path from 'node:path';
import { connectDb } from '@/lib/adapters/db/client';
import { createSealedValueStore } from '@/lib/adapters/db/sealed-value-store';
import { runningEmbeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from '@/lib/adapters/db/embedded-postgres';
import { runMigrations } from '@/lib/adapters/db/migrate';
import { keysDir } from '@/lib/adapters/keys/key-files';
import { EnvError, parseEnv } from '@/lib/env';
import { keyringSettings } from '@/lib/server/security/keyring';
import { rotateKeys } from '@/lib/server/security/rotate-keys';
import { sealingKey } from '@/lib/server/security/secret-box';
import { legacySecretKey } from './start/secrets';

/**
 * `npm run keys:rotate [-- --sealing-only | --session-only] [--grace-seconds N]`, later `npm run keys:rotate -- --retire`: new keys
 * first in the data dir's key files, every sealed value re-sealed with the new sealing key, while
 * Keelson keeps running (its processes read the key files again within a second). `--retire` then drops
 * the keys nothing uses any more. Uses DATABASE_URL, or the embedded Postgres of a running `npm start`
 * (or starts it for the duration).
 */
const root = path.resolve(import.meta.dirname, '..');
const log = (line: string) => console.log(`[keys] ${line}`);
const flag = (name: string) => process.argv.includes(name);

async function main() {
  const e = parseEnv();
  const dataDir = path.resolve(root, e.KEELSON_DATA_DIR);
  const legacy = legacySecretKey(dataDir, e.KEELSON_SECRET_KEY);
  const settings = keyringSettings({ ...e, KEELSON_SECRET_KEY: legacy }, keysDir(dataDir));
  let embedded: EmbeddedDatabase | undefined;
  let url = e.DATABASE_URL ?? (await runningEmbeddedUrl(dataDir));
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir });
    url = embedded.url;
  }
  // The same migrations `npm start` runs (idempotent): the tables to walk exist even on a fresh data dir.
  await runMigrations(url);
  const handle = connectDb(url, { max: 2 });
  try {
    const graceIndex = process.argv.indexOf('--grace-seconds');
    const report = await rotateKeys({ sealed: createSealedValueStore(handle.db) }, settings, {
      // --retire only drops old keys (after an earlier rotation); it makes no new ones.
      kinds: flag('--retire')
        ? []
        : flag('--sealing-only')
          ? ['sealing']
          : flag('--session-only')
            ? ['session']
            : ['sealing', 'session'],
      graceMs: graceIndex > 0 ? Number(process.argv[graceIndex + 1]) * 1000 : 3000,
      envManaged: Boolean(e.KEELSON_SECRET_KEY),
      retire: flag('--retire'),
      log,
    });
    for (const [table, n] of Object.entries(report.resealed)) log(`${table}: ${n} value(s) re-sealed`);
    log(`sealed values by key id: ${JSON.stringify(report.usage)} (active ${report.activeSealingKey})`);
    for (const r of report.retired) log(`retired ${r}`);
    if (legacy) retireLegacy(dataDir, legacy, report.usage, !e.KEELSON_SECRET_KEY && flag('--retire'));
    if (report.unreadable.length > 0) {
      log(
        `${report.unreadable.length} value(s) no configured key opens, left as they were: ${report.unreadable.join(', ')}`,
      );
      process.exitCode = 1;
    }
  } finally {
    await handle.close();
    await embedded?.stop();
  }
}

/** The one key of installs from before separate keys: dropped with --retire once no sealed value needs it. */
function retireLegacy(dataDir: string, legacy: string, usage: Record<string, number>, retire: boolean) {
  if (usage.v1 || usage[sealingKey(legacy).id])
    return log('some values are still sealed with KEELSON_SECRET_KEY: keep it.');
  if (!retire)
    return log(
      'no sealed value needs KEELSON_SECRET_KEY any more: after KEELSON_SESSION_HOURS, `--retire` (or unset it) ends the sessions it signed.',
    );
  rmSync(path.join(dataDir, 'secret-key'), { force: true });
  log("removed the data dir's secret-key file; sessions it signed end when Keelson next restarts.");
}

main().catch((err: unknown) => {
  console.error(err instanceof EnvError ? err.message : err);
  process.exit(1);
});
