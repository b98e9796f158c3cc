import { request as newRequest } from '@playwright/test';
import { adminPassword, apiLogin, appUrl, createToken, expect, test } from './support/fixtures';

test('health, readiness and Prometheus metrics', async ({ request }) => {
  expect(await (await request.get('/api/healthz')).json()).toEqual({ status: 'ok' });
  const ready = await request.get('/api/readyz');
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({
    ready: true,
    checks: { database: 'ok', queue: 'ok', workers: 'running', postgres: 'running' },
  });
  const metrics = await (await request.get('/metrics')).text();
  expect(metrics).toMatch(/keelson_http_requests_total\{method="GET",route="\/api\/readyz",status="200"\} \d+/);
  expect(metrics).toMatch(/keelson_http_request_duration_seconds_bucket\{/);
  expect(metrics).toMatch(/keelson_job_queue_depth\{queue="housekeeping"\} \d+/);
});

test('API answers 401 without credentials and with a bad token', async ({ request }) => {
  const anon = await request.get('/api/v1/tokens');
  expect(anon.status()).toBe(401);
  expect((await anon.json()).error.code).toBe('UNAUTHENTICATED');
  const bad = await request.get('/api/v1/me', { headers: { authorization: `Bearer kls_${'x'.repeat(43)}` } });
  expect(bad.status()).toBe(401);
});

test('unknown API routes are JSON 404s', async ({ request }) => {
  const res = await request.get('/api/v1/does-not-exist');
  expect(res.status()).toBe(404);
  expect((await res.json()).error).toMatchObject({ code: 'NOT_FOUND' });
});

test('malformed JSON, schema failures and oversized bodies get 4xx and store nothing', async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(api, 'admin', adminPassword())).ok()).toBe(true);
  const before = (await (await api.get('/api/v1/tokens')).json()).items.length;

  const malformed = await api.post('/api/v1/tokens', {
    data: Buffer.from('{"name": '),
    headers: { 'content-type': 'application/json' },
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.message).toMatch(/not valid JSON/);

  const invalid = await api.post('/api/v1/tokens', { data: { name: '', expiresInDays: -3 } });
  expect(invalid.status()).toBe(400);
  const body = await invalid.json();
  expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['expiresInDays', 'name']);

  const huge = await api.post('/api/v1/tokens', { data: { name: 'x'.repeat(2 * 1024 * 1024) } });
  expect(huge.status()).toBe(413);

  expect((await (await api.get('/api/v1/tokens')).json()).items.length).toBe(before);
  await api.dispose();
});

test('password login for the CLI: generic 401, then 429 past the per-user limit', async ({ request }) => {
  const attempt = () => request.post('/api/v1/session/token', { data: { username: 'mallory', password: 'guess' } });
  const first = await attempt();
  expect(first.status()).toBe(401);
  expect((await first.json()).error.message).toBe('Invalid credentials.');
  const statuses = [first.status()];
  for (let i = 0; i < 10; i++) statuses.push((await attempt()).status());
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses[10]).toBe(429);
  const limited = await attempt();
  expect(limited.headers()['retry-after']).toMatch(/^\d+$/);
});

test('revoked tokens get 401', async () => {
  const api = await newRequest.newContext({ baseURL: appUrl() });
  expect((await apiLogin(api, 'admin', adminPassword())).ok()).toBe(true);
  const { id, token } = await createToken(api, 'to revoke');
  const bearer = { authorization: `Bearer ${token}` };
  expect((await api.get('/api/v1/me', { headers: bearer })).status()).toBe(200);
  expect((await api.delete(`/api/v1/tokens/${id}`)).status()).toBe(204);
  const after = await (await newRequest.newContext({ baseURL: appUrl() })).get('/api/v1/me', { headers: bearer });
  expect(after.status()).toBe(401);
  await api.dispose();
});
