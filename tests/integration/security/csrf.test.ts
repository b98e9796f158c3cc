import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, pipelineRuns } from '../../../lib/adapters/db/schema';
import { decideCsrf, type CsrfRequest } from '../../../lib/domain/http/csrf';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { APP_URL, params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/**
 * Hole 7: with the session cookie, a cross-site `text/plain` POST to /api/v1/apply was accepted and its step
 * ran; an empty form POST triggered sync and rerun. These go through the real route handlers.
 */
let t: TestDatabase;
let user: WebUser;
let apply: typeof import('../../../app/api/v1/apply/route').POST;
let sync: typeof import('../../../app/api/v1/applications/[name]/sync/route').POST;
let rerun: typeof import('../../../app/api/v1/pipelineruns/[name]/rerun/route').POST;

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  user = await webUser(t, 'alice');
  // alice applies Tasks and syncs: allowed, so a 403 here can only be the CSRF guard's.
  await grantAdmin(t, 'alice');
  apply = (await import('../../../app/api/v1/apply/route')).POST;
  sync = (await import('../../../app/api/v1/applications/[name]/sync/route')).POST;
  rerun = (await import('../../../app/api/v1/pipelineruns/[name]/rerun/route')).POST;
});

const TASK = (name: string) => `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: ${name} }
spec:
  steps:
    - name: pwn
      image: alpine
      script: id > /tmp/csrf-${name}
`;

async function storedNames(): Promise<string[]> {
  return (await t.handle.db.select({ name: definitions.name }).from(definitions)).map((r) => r.name);
}

const post = (path: string, headers: Record<string, string>, body?: string) =>
  request(path, { method: 'POST', headers, body });
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; hint?: string } }).error;

describe('cookie-authenticated unsafe requests through the real /api/v1/apply route', () => {
  const attacks: [string, Record<string, string>][] = [
    [
      'cross-site text/plain (the reproduced attack)',
      { 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ],
    ['text/plain without Origin (old browser, or a no-cors fetch)', { 'content-type': 'text/plain' }],
    ['form content type without Origin', { 'content-type': 'application/x-www-form-urlencoded' }],
    [
      'multipart form from another origin',
      { 'content-type': 'multipart/form-data; boundary=x', origin: 'https://evil.example' },
    ],
    ['YAML but Origin: https://evil.example', { 'content-type': 'application/yaml', origin: 'https://evil.example' }],
    ['YAML but Sec-Fetch-Site: cross-site', { 'content-type': 'application/yaml', 'sec-fetch-site': 'cross-site' }],
    [
      'YAML but Sec-Fetch-Site: same-site (a sibling subdomain)',
      { 'content-type': 'application/yaml', 'sec-fetch-site': 'same-site' },
    ],
    ['YAML from Origin: null (sandboxed frame)', { 'content-type': 'application/yaml', origin: 'null' }],
    [
      'YAML from the right host but another scheme',
      { 'content-type': 'application/yaml', origin: 'https://keelson.test:3000x' },
    ],
    ['no content type at all', {}],
  ];
  for (const [name, headers] of attacks) {
    it(`refuses ${name} with 403 and stores nothing`, async () => {
      const res = await apply(
        post('/api/v1/apply', { cookie: user.cookie, ...headers }, TASK('csrf-attack')),
        params({}),
      );
      expect(res.status).toBe(403);
      const error = await errorOf(res);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.hint).toMatch(/Bearer|Content-Type/);
      expect(await storedNames()).not.toContain('csrf-attack');
    });
  }

  it('accepts the web app itself: same origin, YAML content type', async () => {
    const headers = {
      cookie: user.cookie,
      'content-type': 'application/yaml',
      origin: APP_URL,
      'sec-fetch-site': 'same-origin',
    };
    const res = await apply(post('/api/v1/apply', headers, TASK('from-the-app')), params({}));
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await storedNames()).toContain('from-the-app');
  });

  it('accepts a non-browser client with the cookie and a JSON content type (no Origin, no Sec-Fetch-Site)', async () => {
    const body = JSON.stringify({
      apiVersion: 'tekton.dev/v1',
      kind: 'Task',
      metadata: { name: 'from-curl' },
      spec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] },
    });
    const res = await apply(
      post('/api/v1/apply', { cookie: user.cookie, 'content-type': 'application/json; charset=utf-8' }, body),
      params({}),
    );
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it('exempts bearer tokens: any origin and content type', async () => {
    const headers = {
      authorization: `Bearer ${user.token}`,
      'content-type': 'text/plain',
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    };
    const res = await apply(post('/api/v1/apply', headers, TASK('from-a-token')), params({}));
    expect(res.status, await res.clone().text()).toBe(201);
  });
});

describe('empty form POSTs to sync and rerun', () => {
  const form = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' };

  it('refuses an empty form POST to sync before looking anything up (403, not 404)', async () => {
    const res = await sync(
      post('/api/v1/applications/guestbook/sync', { cookie: user.cookie, ...form }),
      params({ name: 'guestbook' }),
    );
    expect(res.status).toBe(403);
    const same = await sync(
      post('/api/v1/applications/guestbook/sync', { cookie: user.cookie, ...form, origin: APP_URL }),
      params({ name: 'guestbook' }),
    );
    expect(same.status).toBe(403);
    // The same call from the web app reaches the use case (which then finds no such application).
    const ok = await sync(
      post('/api/v1/applications/guestbook/sync', {
        cookie: user.cookie,
        'content-type': 'application/json',
        origin: APP_URL,
      }),
      params({ name: 'guestbook' }),
    );
    expect(ok.status).toBe(404);
  });

  it('refuses an empty form POST to rerun (and an empty text/plain one) and creates no run', async () => {
    for (const ct of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await rerun(
        post('/api/v1/pipelineruns/some-run/rerun', { cookie: user.cookie, 'content-type': ct }),
        params({ name: 'some-run' }),
      );
      expect(res.status).toBe(403);
    }
    expect(await t.handle.db.select().from(pipelineRuns)).toEqual([]);
    const ok = await rerun(
      post('/api/v1/pipelineruns/some-run/rerun', { cookie: user.cookie, 'content-type': 'application/json' }),
      params({ name: 'some-run' }),
    );
    expect(ok.status).toBe(404);
  });
});

describe('the CSRF decision', () => {
  const base: CsrfRequest = {
    method: 'POST',
    contentType: 'application/json',
    origin: null,
    secFetchSite: null,
    host: 'keelson.test:3000',
    trustedOrigins: [APP_URL],
    requireApiContentType: true,
  };
  const allowed = (over: Partial<CsrfRequest>) => decideCsrf({ ...base, ...over }).allowed;

  it('lets safe methods through whatever their origin', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      expect(
        allowed({ method, origin: 'https://evil.example', secFetchSite: 'cross-site', contentType: 'text/plain' }),
      ).toBe(true);
  });
  it('accepts JSON, YAML and +json/+yaml media types only, parameters ignored', () => {
    for (const ct of [
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/yaml',
      'application/x-yaml',
      'text/yaml',
      'application/merge-patch+json',
    ])
      expect(allowed({ contentType: ct })).toBe(true);
    for (const ct of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'text/plain; application/json',
      'application/jsonx',
      '',
    ])
      expect(allowed({ contentType: ct })).toBe(false);
    expect(allowed({ contentType: null })).toBe(false);
  });
  it('requires a content type on PUT and PATCH too, not on DELETE (which no page can send cross-site without a preflight)', () => {
    expect(allowed({ method: 'PUT', contentType: 'text/plain' })).toBe(false);
    expect(allowed({ method: 'PATCH', contentType: null })).toBe(false);
    expect(allowed({ method: 'DELETE', contentType: null })).toBe(true);
    expect(allowed({ method: 'DELETE', contentType: null, origin: 'https://evil.example' })).toBe(false);
    expect(allowed({ method: 'DELETE', contentType: null, secFetchSite: 'cross-site' })).toBe(false);
  });
  it('matches Origin against the request host or KEELSON_URL', () => {
    expect(allowed({ origin: 'http://keelson.test:3000' })).toBe(true);
    expect(allowed({ origin: 'http://keelson.test:3000', host: 'internal:8080' })).toBe(true);
    expect(allowed({ origin: 'https://keelson.test:3000', host: 'internal:8080' })).toBe(false);
    expect(allowed({ origin: 'http://keelson.test.evil.example' })).toBe(false);
    expect(allowed({ origin: 'http://keelson.test:3001' })).toBe(false);
    expect(allowed({ origin: 'chrome-extension://abc' })).toBe(false);
    expect(allowed({ origin: 'not a url' })).toBe(false);
  });
  it('lets next-auth form posts through when same-origin, never when cross-site', () => {
    const form = { contentType: 'application/x-www-form-urlencoded', requireApiContentType: false };
    expect(allowed({ ...form, origin: APP_URL, secFetchSite: 'same-origin' })).toBe(true);
    expect(allowed({ ...form, origin: 'https://evil.example' })).toBe(false);
    expect(allowed({ ...form, secFetchSite: 'cross-site' })).toBe(false);
  });
});
