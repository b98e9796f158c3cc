import { sendChunked } from '../integration/support/send-chunked';
import { expect, test } from './support/fixtures';

/**
 * Issue 10, holes 10 and 12 against the real web server (server.ts in front of Next, next-auth
 * included): chunked bodies over the cap, and metric series under a flood of unknown paths.
 */
async function metricsText(base: string): Promise<string> {
  return (await fetch(new URL('/metrics', base))).text();
}

function residentBytes(metrics: string): number {
  return Number(/^keelson_process_resident_memory_bytes (\d+(\.\d+)?(e\+\d+)?)$/m.exec(metrics)?.[1] ?? NaN);
}

test('a chunked 50 MB body to a webhook or to the credentials login gets 413 quickly, and the server does not hold it', async ({
  baseURL,
}) => {
  const base = baseURL!;
  const rssBefore = residentBytes(await metricsText(base));
  for (const [path, headers] of [
    ['/api/webhooks/triggers/any-name', { 'content-type': 'application/json', 'x-github-event': 'push' }],
    ['/api/webhooks/git', { 'content-type': 'application/json', 'x-github-event': 'push' }],
    ['/api/auth/callback/credentials', { 'content-type': 'application/x-www-form-urlencoded' }],
  ] as const) {
    const res = await sendChunked(new URL(path, base).href, 50 * 1024 * 1024, headers);
    expect(res.status, path).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.sentBytes, path).toBeLessThan(25 * 1024 * 1024);
    expect(res.ms, path).toBeLessThan(10_000);
  }
  const rssAfter = residentBytes(await metricsText(base));
  expect(rssAfter - rssBefore).toBeLessThan(40 * 1024 * 1024);
});

test('1,000 distinct unknown paths add a bounded number of metric series', async ({ baseURL }) => {
  const base = baseURL!;
  const count = async () =>
    (await metricsText(base)).split('\n').filter((l) => l.startsWith('keelson_http_requests_total{')).length;
  const before = await count();
  const paths = Array.from(
    { length: 1000 },
    (_, i) => [`/wp-login-${i}.php`, `/probe-${i}`, `/api/v1/pipelines/p-${i}`, `/api/nothing-${i}`][i % 4],
  );
  for (let i = 0; i < paths.length; i += 20) {
    await Promise.all(
      paths.slice(i, i + 20).map(async (p) => (await fetch(new URL(p, base), { redirect: 'manual' })).arrayBuffer()),
    );
  }
  expect((await count()) - before).toBeLessThanOrEqual(10);
  expect(await metricsText(base)).not.toMatch(/route="[^"]*(probe-|p-1|nothing-|wp-login)/);
});
