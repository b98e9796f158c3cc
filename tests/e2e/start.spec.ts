import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request as newRequest } from '@playwright/test';
import { freePort } from '../../lib/adapters/net/free-port';
import { startApp } from './support/app-process';
import { expect, test } from './support/fixtures';

test.setTimeout(240_000);

const printedPassword = (output: string) => /Log in as admin with password (\S+)/.exec(output)?.[1];

test('a second instance runs beside the first, stops cleanly with Postgres, and keeps its data across restarts', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-restart-'));
  const port = await freePort();
  const env = { PORT: String(port), KEELSON_DATA_DIR: dataDir, KEELSON_URL: `http://127.0.0.1:${port}` };
  const outputs: (() => string)[] = [];
  try {
    const first = await startApp(env);
    outputs.push(first.output);
    const password = printedPassword(first.output());
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(readFileSync(path.join(dataDir, 'initial-admin-password'), 'utf8').trim()).toBe(password);

    const api = await newRequest.newContext({ baseURL: first.url });
    const login = await api.post('/api/v1/session/token', { data: { username: 'admin', password } });
    expect(login.status()).toBe(201);
    const { token } = (await login.json()) as { token: string };

    const postmaster = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(existsSync(`/proc/${postmaster}`)).toBe(true);
    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('[keelson] stopped');
    expect(existsSync(`/proc/${postmaster}`)).toBe(false);

    const second = await startApp(env);
    outputs.push(second.output);
    expect(printedPassword(second.output())).toBe(password);
    const again = await newRequest.newContext({
      baseURL: second.url,
      extraHTTPHeaders: { authorization: `Bearer ${token}` },
    });
    const me = await again.get('/api/v1/me');
    expect(me.status()).toBe(200);
    expect((await me.json()).username).toBe('admin');
    expect(await second.stop()).toBe(0);
    await api.dispose();
    await again.dispose();
  } catch (err) {
    // The processes' own words say why (a child that exited, a port taken): keep them with the failure.
    for (const out of outputs) console.error(`--- Keelson output ---\n${out().slice(-4000)}`);
    throw err;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
