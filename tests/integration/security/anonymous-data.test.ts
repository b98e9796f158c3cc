import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Boss } from '../../../lib/adapters/queue/boss';
import { checkReadiness } from '../../../lib/server/system/check-readiness';
import { insertApps } from '../applications-support';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/**
 * Anonymous callers may see the login page, /api/healthz, /api/readyz and the webhooks, and nothing else:
 * /api/v1/openapi.json and /api/v1/version answered anyone, /api/readyz returned the database and queue
 * errors verbatim (addresses, user names), and /api/webhooks/git listed the names of the refreshed apps.
 */
let t: TestDatabase;
let user: WebUser;

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  user = await webUser(t, 'anon-data');
});

describe('API description and version need a login or a token', () => {
  const routes: [
    string,
    () => Promise<{ GET: (req: ReturnType<typeof request>, ctx: ReturnType<typeof params>) => Promise<Response> }>,
  ][] = [
    ['/api/v1/openapi.json', () => import('../../../app/api/v1/openapi.json/route')],
    ['/api/v1/version', () => import('../../../app/api/v1/version/route')],
  ];
  for (const [path, load] of routes) {
    it(`${path}: 401 without credentials, 200 with a token or a session`, async () => {
      const { GET } = await load();
      const anon = await GET(request(path), params({}));
      expect(anon.status).toBe(401);
      expect(await anon.text()).not.toMatch(/"version"\s*:\s*"\d/);
      expect((await GET(request(path, { headers: { authorization: 'Bearer kls_forged' } }), params({}))).status).toBe(
        401,
      );
      expect(
        (await GET(request(path, { headers: { authorization: `Bearer ${user.token}` } }), params({}))).status,
      ).toBe(200);
      expect((await GET(request(path, { headers: { cookie: user.cookie } }), params({}))).status).toBe(200);
    });
  }
});

describe('/api/readyz says ready or not in fixed words', () => {
  it('a database and queue failing with detailed errors give only "unavailable", and the details go to the log', async () => {
    const pool = new pg.Pool({
      connectionString: 'postgres://keelson_admin:hunter2-secret@127.0.0.1:9/keelson_prod',
      connectionTimeoutMillis: 500,
    });
    const logged: string[] = [];
    const boss = () =>
      Promise.reject(new Error('relation "pgboss_v11.queue" does not exist at 10.1.2.3:5432 (user keelson_admin)'));
    const readiness = await checkReadiness(pool, boss as () => Promise<Boss>, (l) => logged.push(l));
    await pool.end();
    expect(readiness).toEqual({ ready: false, checks: { database: 'unavailable', queue: 'unavailable' } });
    expect(JSON.stringify(readiness)).not.toMatch(/127\.0\.0\.1|10\.1\.2\.3|keelson_admin|pgboss|ECONNREFUSED/);
    expect(logged.join('\n')).toMatch(/database not ready: .*ECONNREFUSED|database not ready: .*127\.0\.0\.1/);
    expect(logged.join('\n')).toContain('10.1.2.3');
  });

  it('a hanging check answers "timed out"', async () => {
    const pool = { query: () => new Promise(() => undefined) } as unknown as pg.Pool;
    const boss = () => Promise.resolve({ getQueueSize: async () => 0 } as unknown as Boss);
    const readiness = await checkReadiness(pool, boss, () => undefined);
    expect(readiness).toEqual({ ready: false, checks: { database: 'timed out', queue: 'ok' } });
  });

  it('the real route answers ok for a healthy install', async () => {
    const { GET } = await import('../../../app/api/readyz/route');
    const res = await GET();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ready: true, checks: { database: 'ok', queue: 'ok' } });
  });
});

describe('/api/webhooks/git tells an anonymous sender how many apps it refreshed, not which', () => {
  it('an unsigned push (no secret set, as Argo CD accepts) gets a count only', async () => {
    await insertApps(t, [
      { name: 'payments-prod', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'main' },
      { name: 'billing-internal', normalizedRepoUrl: 'https://github.com/acme/deploy', targetRevision: 'HEAD' },
    ]);
    const { POST } = await import('../../../app/api/webhooks/git/route');
    const body = JSON.stringify({
      ref: 'refs/heads/main',
      after: 'c'.repeat(40),
      repository: {
        full_name: 'acme/deploy',
        html_url: 'https://github.com/acme/deploy',
        clone_url: 'https://github.com/acme/deploy.git',
        default_branch: 'main',
      },
    });
    const res = await POST(
      request('/api/webhooks/git', {
        method: 'POST',
        headers: { 'x-github-event': 'push', 'content-type': 'application/json' },
        body,
      }),
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ provider: 'github', refreshed: 2 });
    expect(text).not.toMatch(/payments-prod|billing-internal/);
  });
});
