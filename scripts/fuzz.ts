import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../lib/adapters/net/free-port';
import { startApp } from '../tests/e2e/support/app-process';
import { LONG_FUZZ, runFuzz, schemathesisBin } from '../tests/e2e/support/schemathesis';

/**
 * `npm run fuzz`: the API fuzz of `npm test` at length (more examples per operation, all phases) against a
 * fresh Keelson in a temporary data dir. Arguments go to schemathesis (`npm run fuzz -- --max-examples 1000`,
 * `-- --checks all`, `-- --seed N` to replay). The report lands in test-results/fuzz/.
 */
const root = path.resolve(import.meta.dirname, '..');

async function main() {
  schemathesisBin();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-fuzz-'));
  const port = await freePort();
  const password = 'fuzz-admin-password';
  console.log(
    `[fuzz] starting Keelson on port ${port} (data in ${dataDir}; builds the web app first if sources changed)`,
  );
  const app = await startApp(
    {
      PORT: String(port),
      KEELSON_URL: `http://127.0.0.1:${port}`,
      KEELSON_DATA_DIR: dataDir,
      KEELSON_ADMIN_PASSWORD: password,
      KEELSON_ALLOW_LOCAL_REPOS: 'true',
    },
    600_000,
  );
  try {
    const login = await fetch(`${app.url}/api/v1/session/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const { token } = (await login.json()) as { token: string };
    const reportDir = path.join(root, 'test-results', 'fuzz');
    mkdirSync(reportDir, { recursive: true });
    const result = await runFuzz(app.url, token, { ...LONG_FUZZ, extra: process.argv.slice(2) }, reportDir, (c) =>
      process.stdout.write(c.split(token).join('<token>')),
    );
    console.log(
      `\n[fuzz] ${result.operations} operations, ${result.cases} test cases, ${result.seconds.toFixed(0)} s, ` +
        `${result.failures} failures; JUnit report: ${result.reportFile}`,
    );
    process.exitCode = result.code === 0 && result.failures === 0 ? 0 : 1;
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
