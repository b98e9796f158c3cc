import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/adapters/net/free-port';
import { startApp } from '../tests/e2e/support/app-process';

/**
 * `npm run bench:start`: time from launching `npm start`'s script to the first answered request,
 * on a fresh data dir (initdb + migrations) and again on the same data (the everyday restart).
 * The web build is reused if present; run `rm -rf .next` first to include the first build.
 */
async function timeStart(env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const app = await startApp(env);
  const res = await fetch(`${app.url}/login`);
  const ms = performance.now() - started;
  if (!res.ok) throw new Error(`/login answered ${res.status}`);
  await app.stop();
  return ms;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-bench-'));
const port = await freePort();
const env = { PORT: String(port), KEELSON_DATA_DIR: dataDir, KEELSON_URL: `http://127.0.0.1:${port}` };
try {
  const first = await timeStart(env);
  const second = await timeStart(env);
  const third = await timeStart(env);
  console.log(`fresh data dir (initdb, migrations, admin): ${(first / 1000).toFixed(2)} s`);
  console.log(
    `restart on existing data:                   ${(second / 1000).toFixed(2)} s, ${(third / 1000).toFixed(2)} s`,
  );
  console.log(`restart / fresh ratio:                      ${(Math.min(second, third) / first).toFixed(2)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
