import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/**
 * Bad input is a 400 naming the field, never a 500: `DELETE /api/v1/repositories` without `?url` threw a
 * ZodError that nothing mapped. Odd values in path segments and query strings (NUL bytes, non-UUID ids,
 * very long names) are tried on every route that takes one.
 */
let t: TestDatabase;
let user: WebUser;

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  user = await webUser(t, 'parse-errors');
});

type Handler = (req: ReturnType<typeof request>, ctx: ReturnType<typeof params>) => Promise<Response>;
const call = (handler: Handler, method: string, path: string, p: Record<string, string> = {}, body?: string) =>
  handler(
    request(path, {
      method,
      headers: {
        authorization: `Bearer ${user.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body,
    }),
    params(p),
  );
const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string; issues?: { path: string }[] } }).error;

describe('DELETE /api/v1/repositories', () => {
  it('without ?url answers 400 naming url', async () => {
    const { DELETE } = await import('../../../app/api/v1/repositories/route');
    for (const path of ['/api/v1/repositories', '/api/v1/repositories?url=']) {
      const res = await call(DELETE, 'DELETE', path);
      expect(res.status, path).toBe(400);
      const error = await errorOf(res);
      expect(error.code).toBe('BAD_REQUEST');
      expect(error.issues?.map((i) => i.path)).toEqual(['url']);
      expect(error.message).toContain('url');
    }
  });
});

describe('odd path segments and query values never give 500', () => {
  const odd = ['a\u0000b', 'x'.repeat(5000), '%', '..', 'not-a-uuid', '00000000-0000-0000-0000-00000000000g'];
  const routes: [string, () => Promise<Record<string, unknown>>, string, string][] = [
    ['/api/v1/pipelines/{name}', () => import('../../../app/api/v1/pipelines/[name]/route'), 'GET', 'name'],
    ['/api/v1/pipelineruns/{name}', () => import('../../../app/api/v1/pipelineruns/[name]/route'), 'GET', 'name'],
    ['/api/v1/taskruns/{name}', () => import('../../../app/api/v1/taskruns/[name]/route'), 'GET', 'name'],
    ['/api/v1/taskruns/{name}/logs', () => import('../../../app/api/v1/taskruns/[name]/logs/route'), 'GET', 'name'],
    ['/api/v1/applications/{name}', () => import('../../../app/api/v1/applications/[name]/route'), 'GET', 'name'],
    [
      '/api/v1/applications/{name}/history',
      () => import('../../../app/api/v1/applications/[name]/history/route'),
      'GET',
      'name',
    ],
    ['/api/v1/clusters/{name}', () => import('../../../app/api/v1/clusters/[name]/route'), 'DELETE', 'name'],
    ['/api/v1/tokens/{id}', () => import('../../../app/api/v1/tokens/[id]/route'), 'DELETE', 'id'],
    [
      '/api/v1/triggers/{name}/deliveries',
      () => import('../../../app/api/v1/triggers/[name]/deliveries/route'),
      'GET',
      'name',
    ],
    [
      '/api/v1/settings/webhooks/{provider}',
      () => import('../../../app/api/v1/settings/webhooks/[provider]/route'),
      'DELETE',
      'provider',
    ],
  ];
  for (const [template, load, method, key] of routes) {
    it(`${method} ${template}`, async () => {
      const handler = (await load())[method] as Handler | undefined;
      if (!handler) throw new Error(`${template} has no ${method}`);
      for (const value of odd) {
        const res = await call(handler, method, template.replace(`{${key}}`, encodeURIComponent(value)), {
          [key]: value,
        });
        expect(
          res.status,
          `${JSON.stringify(value.slice(0, 40))}: ${res.status} ${res.status >= 500 ? JSON.stringify(await errorOf(res)) : ''}`,
        ).toBeLessThan(500);
      }
    });
  }

  it('query strings: NUL bytes and junk in list filters', async () => {
    const lists: [string, () => Promise<Record<string, unknown>>][] = [
      [
        '/api/v1/pipelineruns?status=%00&pipeline=%00&limit=x&page=-1',
        () => import('../../../app/api/v1/pipelineruns/route'),
      ],
      ['/api/v1/taskruns?pipelineRun=%00&limit=1e9', () => import('../../../app/api/v1/taskruns/route')],
      [
        '/api/v1/applications?search=%00&cluster=%00&namespace=%00',
        () => import('../../../app/api/v1/applications/route'),
      ],
      [
        '/api/v1/applications/x/operation?id=%00',
        () => import('../../../app/api/v1/applications/[name]/operation/route'),
      ],
    ];
    for (const [path, load] of lists) {
      const res = await call((await load()).GET as Handler, 'GET', path, { name: 'x' });
      expect(res.status, `${path}: ${res.status}`).toBeLessThan(500);
    }
  });
});

describe('errorResponse maps every parse failure to 400', () => {
  it('a ZodError names its path, a SyntaxError and a Postgres data exception are 400 too; anything else stays 500', async () => {
    const { z } = await import('zod');
    const { errorResponse } = await import('../../../app/api/_lib/error-response');
    const zod = z.object({ spec: z.object({ replicas: z.number() }) }).safeParse({ spec: { replicas: 'x' } });
    const fromZod = errorResponse(zod.error);
    expect(fromZod.status).toBe(400);
    expect((await errorOf(fromZod)).issues?.map((i) => i.path)).toEqual(['spec.replicas']);
    expect(errorResponse(new SyntaxError('Unexpected token } in JSON at position 3')).status).toBe(400);
    const pg = Object.assign(new Error('invalid input syntax for type uuid: "x"'), { code: '22P02' });
    expect(errorResponse(Object.assign(new Error('Failed query'), { cause: pg })).status).toBe(400);
    expect(errorResponse(Object.assign(new Error('deadlock'), { code: '40P01' })).status).toBe(500);
    expect(errorResponse(new Error('boom')).status).toBe(500);
  });
});

it('routes without dynamic segments work when Next.js passes no params', async () => {
  const { GET } = await import('../../../app/api/v1/me/route');
  const auth = { headers: { authorization: `Bearer ${user.token}` } };
  expect((await GET(request('/api/v1/me', auth), { params: Promise.resolve(undefined) } as never)).status).toBe(200);
  expect((await GET(request('/api/v1/me', auth), undefined as never)).status).toBe(200);
});
