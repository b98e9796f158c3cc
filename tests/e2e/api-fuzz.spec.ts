import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest } from '@playwright/test';
import { freePort } from '../../lib/adapters/net/free-port';
import { apiRouteFiles } from '../../lib/adapters/http-server/app-routes';
import { allowList } from '../../lib/domain/http/allowed-methods';
import { startApp, type AppProcess } from './support/app-process';
import { expect, test } from './support/fixtures';
import { rawRequest } from './support/raw-http';
import { CI_FUZZ, runFuzz, schemathesisBin } from './support/schemathesis';

/**
 * schemathesis against the OpenAPI document of a real `npm start`, with an admin API token: every operation, a
 * bounded number of examples, no 5xx and no answer outside the document. Its own instance and data dir: the
 * fuzz deletes and overwrites what it finds (tokens, accounts, settings), which later specs on the shared one rely on.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(420_000);

const PASSWORD = 'fuzz-admin-password';
let app: AppProcess;
let dataDir: string;
let port: number;

test.beforeAll(async () => {
  // Under `npm test` the shared instance built the web app already; run alone after a change, this one builds it.
  test.setTimeout(660_000);
  // Before anything starts: a missing fuzzer fails here with how to install it.
  schemathesisBin();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-fuzz-'));
  port = await freePort();
  app = await startApp(
    {
      PORT: String(port),
      KEELSON_URL: `http://127.0.0.1:${port}`,
      KEELSON_DATA_DIR: dataDir,
      KEELSON_ADMIN_PASSWORD: PASSWORD,
      KEELSON_ALLOW_LOCAL_REPOS: 'true',
    },
    600_000,
  );
});

test.afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('every /api route answers a method it does not export with 405 and its Allow, TRACE and unknown methods included', async () => {
  const routes = apiRouteFiles(path.resolve(import.meta.dirname, '../../app')).filter((r) => r.template !== '/api/*');
  expect(routes.length).toBeGreaterThan(40);
  for (const route of routes) {
    const target = route.template.replace(/:\w+/g, 'x').replace(/\*$/, 'x');
    const allowed = allowList(route.exported);
    const allow = allowed.join(', ');
    const others = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !allowed.includes(m));
    for (const method of ['TRACE', 'CONNECT', 'BREW', ...others]) {
      const answer = await rawRequest(port, method, target);
      expect({ where: `${method} ${target}`, status: answer.status, allow: answer.headers.allow }).toEqual({
        where: `${method} ${target}`,
        status: 405,
        allow,
      });
    }
  }
});

test('schemathesis finds no server error and no answer outside the OpenAPI document', async () => {
  const api = await newRequest.newContext({ baseURL: app.url });
  const login = await api.post('/api/v1/session/token', { data: { username: 'admin', password: PASSWORD } });
  expect(login.status()).toBe(201);
  const { token } = (await login.json()) as { token: string };
  await api.dispose();

  const reportDir = test.info().outputPath('schemathesis');
  mkdirSync(reportDir, { recursive: true });
  const result = await runFuzz(app.url, token, CI_FUZZ, reportDir);
  console.log(
    `[fuzz] ${result.operations} operations, ${result.cases} test cases, ${result.seconds.toFixed(0)} s, ${result.failures} failures`,
  );
  // On failure the whole report (each failure with its curl to reproduce) is the message.
  expect(result.failures, result.output).toBe(0);
  expect(result.code, result.output).toBe(0);
  expect(result.operations).toBeGreaterThan(60);
});
