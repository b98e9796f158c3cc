/**
 * The document is no looser than the API: for the operations whose parameters were plain strings in the document
 * while the API refused most strings (schemathesis: clients generated from it sent requests that failed), a value
 * the API refuses with 400 is refused by the documented schema too, and a value it takes is allowed by both.
 * The API side runs the handler's own input step (readContractInput, which route() runs before any route code).
 */
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readContractInput } from '../../app/api/_lib/read-contract-input';
import { AppError } from '../../lib/errors';
import { contracts, openApiDocument } from '../../lib/schemas/openapi';

type Param = { name: string; in: 'path' | 'query'; required: boolean; schema: Record<string, unknown> };
type Case = [method: string, path: string, params: Record<string, string>, query: string];

const doc = JSON.parse(JSON.stringify(openApiDocument())) as {
  paths: Record<string, Record<string, { parameters?: Param[] }>>;
};

/** Whether the document allows these parameters (digits sent for an integer, as a client serializes them). */
function documentAllows([method, path, params, query]: Case): boolean {
  const given: Record<string, Record<string, string>> = {
    path: params,
    query: Object.fromEntries(new URLSearchParams(query)),
  };
  for (const p of doc.paths[path][method].parameters ?? []) {
    const value = given[p.in][p.name];
    if (value === undefined) {
      if (p.required) return false;
      continue;
    }
    const numeric = ['integer', 'number'].includes(String(p.schema.type)) && /^-?\d+(\.\d+)?$/.test(value);
    if (!z.fromJSONSchema(p.schema).safeParse(numeric ? Number(value) : value).success) return false;
  }
  // A parameter the document does not name is refused where the query schema is strict.
  const named = new Set((doc.paths[path][method].parameters ?? []).map((p) => p.name));
  const strict = contracts[path][method as 'get']?.query?.def.catchall?._zod.def.type === 'never';
  return !strict || Object.keys(given.query).every((k) => named.has(k));
}

/** What the API answers before the route's own code: 400 with the field named, or nothing. */
async function apiRefuses([method, path, params, query]: Case): Promise<string | undefined> {
  const req = new NextRequest(`http://keelson.test${path}?${query}`, { method: method.toUpperCase() });
  try {
    await readContractInput(req, params, contracts[path][method as 'get']!);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(400);
    return (err as AppError).details.issues?.[0]?.path;
  }
}

const app = { name: 'guestbook' };
const refused: Case[] = [
  ['delete', '/api/v1/repositories', {}, ''],
  ['delete', '/api/v1/repositories', {}, 'url='],
  ['delete', '/api/v1/settings/webhooks/{provider}', { provider: '0' }, ''],
  ['put', '/api/v1/settings/webhooks/{provider}', { provider: 'gitea' }, ''],
  ['delete', '/api/v1/tokens/{id}', { id: 'm' }, ''],
  ['get', '/api/v1/account/can-i', {}, 'action=sync'],
  ['get', '/api/v1/account/can-i', {}, 'resource=applications&action='],
  ['get', '/api/v1/account/can-i', {}, 'resource=applications&action=sync&extra=1'],
  ['get', '/api/v1/applications', {}, 'health=Bogus'],
  ['get', '/api/v1/applications', {}, 'limit=0'],
  ['get', '/api/v1/applications', {}, 'limit=501'],
  ['get', '/api/v1/applications/{name}/logs', app, 'resourceName=Bad_Name'],
  ['get', '/api/v1/applications/{name}/logs', app, 'resourceName=web&tailLines=0'],
  ['get', '/api/v1/applications/{name}/pods', app, 'kind=Pod'],
  ['get', '/api/v1/applications/{name}/pods', app, 'resourceName=web&kind=Service'],
  ['get', '/api/v1/applications/{name}/resource', app, 'name=web'],
  ['get', '/api/v1/applications/{name}', { name: 'Not_A_Label' }, ''],
  ['delete', '/api/v1/applications/{name}', app, 'cascade=null'],
  ['get', '/api/v1/applications/{name}/operation', app, 'id=latest'],
  ['get', '/api/v1/audit', {}, 'user='],
  ['get', '/api/v1/audit', {}, 'via=carrier-pigeon'],
  ['get', '/api/v1/audit', {}, 'since=yesterday'],
  ['get', '/api/v1/pipelineruns', {}, 'pipeline='],
  ['get', '/api/v1/pipelineruns', {}, 'page=0'],
  ['get', '/api/v1/pipelineruns', {}, 'limit=x'],
  ['get', '/api/v1/taskruns', {}, 'limit=x'],
  ['get', '/api/v1/taskruns', {}, 'limit=201'],
  ['get', '/api/v1/triggers/{name}/deliveries', { name: 'on-push' }, 'limit=0'],
  ['get', '/api/v1/taskruns/{name}/logs', { name: 'run-1' }, 'format=html'],
];
const accepted: Case[] = [
  ['delete', '/api/v1/repositories', {}, 'url=https://example.invalid/org/repo.git'],
  ['delete', '/api/v1/settings/webhooks/{provider}', { provider: 'gitlab' }, ''],
  ['delete', '/api/v1/tokens/{id}', { id: '0f0e0d0c-0b0a-4000-8000-000000000001' }, ''],
  ['get', '/api/v1/account/can-i', {}, 'resource=applications&action=sync&object=default/guestbook'],
  ['get', '/api/v1/applications', {}, 'health=Healthy&limit=500&offset=0'],
  ['get', '/api/v1/applications/{name}/logs', app, 'resourceName=web&kind=Deployment&tailLines=10&follow=true'],
  ['get', '/api/v1/applications/{name}/pods', app, 'resourceName=web'],
  ['get', '/api/v1/applications/{name}/resource', app, 'kind=Deployment&name=web'],
  ['delete', '/api/v1/applications/{name}', app, 'cascade=false'],
  ['get', '/api/v1/audit', {}, 'via=cli&limit=5&since=1h&until=2026-01-31T12:00:00Z'],
  ['get', '/api/v1/pipelineruns', {}, 'pipeline=build&page=2&limit=200'],
  ['get', '/api/v1/taskruns', {}, 'pipelineRun=build-run-abc12&limit=200'],
  ['get', '/api/v1/taskruns/{name}/logs', { name: 'run-1' }, 'format=text'],
];

describe('documented parameters are as tight as the API', () => {
  it.each(refused)('%s %s %o ?%s: the API answers 400 and the document refuses it', async (...c) => {
    expect(await apiRefuses(c)).toBeDefined();
    expect(documentAllows(c)).toBe(false);
  });

  it.each(accepted)('%s %s %o ?%s: the API takes it and the document allows it', async (...c) => {
    expect(await apiRefuses(c)).toBeUndefined();
    expect(documentAllows(c)).toBe(true);
  });
});

/** The request body schema the document gives an operation (its component, when it names one). */
function documentedBody(method: string, path: string): z.ZodType {
  const full = JSON.parse(JSON.stringify(openApiDocument())) as {
    paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { $ref?: string } }> } }>>;
    components: { schemas: Record<string, Record<string, unknown>> };
  };
  const schema = full.paths[path][method].requestBody.content['application/json'].schema;
  return z.fromJSONSchema(schema.$ref ? full.components.schemas[schema.$ref.split('/').pop()!] : schema);
}

async function bodyRefused(method: string, path: string, params: Record<string, string>, body: string) {
  const req = new NextRequest(`http://keelson.test${path}`, { method: method.toUpperCase(), body });
  return readContractInput(req, params, contracts[path][method as 'post']!).then(
    () => false,
    (err: AppError) => err.status === 400,
  );
}

describe('documented bodies are as tight as the API', () => {
  const start = '/api/v1/pipelines/{name}/start';
  const rerun = '/api/v1/pipelineruns/{name}/rerun';
  it('a start timeout that is no Go duration: the API answers 400 and the document refuses it', async () => {
    const body = { timeouts: { pipeline: 'soon' } };
    expect(await bodyRefused('post', start, { name: 'build' }, JSON.stringify(body))).toBe(true);
    expect(documentedBody('post', start).safeParse(body).success).toBe(false);
    const ok = { timeouts: { pipeline: '1h30m' } };
    expect(await bodyRefused('post', start, { name: 'build' }, JSON.stringify(ok))).toBe(false);
    expect(documentedBody('post', start).safeParse(ok).success).toBe(true);
  });

  it('an optional body may be left out, but one sent as null is refused by both', async () => {
    expect(await bodyRefused('post', rerun, { name: 'build-1' }, '')).toBe(false);
    expect(await bodyRefused('post', rerun, { name: 'build-1' }, 'null')).toBe(true);
    expect(documentedBody('post', rerun).safeParse(null).success).toBe(false);
    expect(await bodyRefused('post', rerun, { name: 'build-1' }, '{"fromFailed":true}')).toBe(false);
  });
});
