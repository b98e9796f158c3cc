import { beforeAll, describe, expect, it } from 'vitest';
import { definitions, pipelineRuns } from '../../../lib/adapters/db/schema';
import { MAX_PIPELINE_RUNS_IN_TREE } from '../../../lib/domain/pipeline/child-pipeline-run';
import { MAX_RESOLVED_DEFAULT_LENGTH } from '../../../lib/domain/pipeline/pipeline-param-defaults';
import { grantAdmin } from '../support/principals';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './web-support';

/**
 * Review 13, F5 and F6: a few kilobytes of Pipelines made the API server work for minutes (Pipelines of many
 * pipeline tasks all running the next Pipeline were walked once per path) or run out of string length (param
 * defaults repeating a param that repeats another). Both must be a quick 400 naming the field, nothing stored.
 */
let t: TestDatabase;
let user: WebUser;
let apply: typeof import('../../../app/api/v1/apply/route').POST;

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  user = await webUser(t, 'mallory');
  await grantAdmin(t, 'mallory');
  apply = (await import('../../../app/api/v1/apply/route')).POST;
});

/** POSTs the documents to /api/v1/apply with the user's token; returns the status and the error's issues. */
async function post(docs: unknown[]) {
  const body = docs.map((d) => JSON.stringify(d)).join('\n---\n');
  const headers = { authorization: `Bearer ${user.token}`, 'content-type': 'application/yaml' };
  const res = await apply(request('/api/v1/apply', { method: 'POST', headers, body }), params({}));
  const json = (await res.json()) as { error?: { issues?: { path: string; message: string }[] } };
  return { status: res.status, issues: json.error?.issues ?? [] };
}

const stored = async () => ({
  definitions: (await t.handle.db.select().from(definitions)).length,
  runs: (await t.handle.db.select().from(pipelineRuns)).length,
});

const pipeline = (name: string, spec: unknown) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name },
  spec,
});

/** `width` pipeline tasks each running `next`, or one step task when `next` is undefined. */
const wide = (width: number, next: string | undefined) => ({
  tasks: Array.from({ length: width }, (_, i) =>
    next
      ? { name: `t${i}`, pipelineRef: { name: next } }
      : { name: `t${i}`, taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] } },
  ),
});

describe('Pipelines in Pipelines that multiply', () => {
  it('six Pipelines of 50 pipeline tasks each, all running the next: 400 at the first document, at once', async () => {
    const docs = [0, 1, 2, 3, 4, 5].map((l) => pipeline(`bomb-p${l}`, wide(50, l < 5 ? `bomb-p${l + 1}` : undefined)));
    const before = await stored();
    const res = await post(docs);
    expect(res.status).toBe(400);
    expect(res.issues).toContainEqual({
      path: 'documents[0].spec',
      message: expect.stringContaining(`would start more than ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns in all`),
    });
    // bomb-p4 alone starts 1 + 50 runs: accepted on its own; p3 (1 + 50 × 51) is not.
    expect(res.issues.map((i) => i.path)).toEqual([
      'documents[0].spec',
      'documents[1].spec',
      'documents[2].spec',
      'documents[3].spec',
    ]);
    expect(await stored()).toEqual(before);
  });
});

describe('param defaults that multiply', () => {
  /** p0 of 100 characters, then p1…p10, each repeating the one before 8 times (8^10 × 100 characters). */
  const params10 = [
    { name: 'p0', default: 'x'.repeat(100) },
    ...Array.from({ length: 10 }, (_, i) => ({ name: `p${i + 1}`, default: `$(params.p${i})`.repeat(8) })),
  ];
  const tasks = [
    {
      name: 'use',
      params: [{ name: 'v', value: '$(params.p10)' }],
      taskSpec: {
        params: [{ name: 'v' }],
        steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.v)"' }],
      },
    },
  ];

  it('a Pipeline: 400 at the default that outgrows the limit', async () => {
    const before = await stored();
    const res = await post([pipeline('grow', { params: params10, tasks })]);
    expect(res.status).toBe(400);
    expect(res.issues).toEqual([
      {
        path: 'documents[0].spec.params[4].default',
        message: expect.stringContaining(
          `would be 409600 characters long once the params it uses are put in; at most ${MAX_RESOLVED_DEFAULT_LENGTH} are allowed`,
        ),
      },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('a PipelineRun with the same inline pipelineSpec: 400, not a 500', async () => {
    const before = await stored();
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'grow-run' },
      spec: { pipelineSpec: { params: params10, tasks } },
    };
    const res = await post([run]);
    expect(res.status).toBe(400);
    expect(res.issues).toContainEqual({
      path: 'documents[0].spec.pipelineSpec.params[4].default',
      message: expect.stringContaining('would be 409600 characters long'),
    });
    expect(await stored()).toEqual(before);
  });
});

describe('other substitutions that multiply', () => {
  it('a taskRef name repeating a 1 MiB run param 1000 times: 400, not a 500 after building 1 GB', async () => {
    const before = await stored();
    const run = {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'grow-ref' },
      spec: {
        params: [{ name: 'big', value: 'x'.repeat(1024 * 1024) }],
        pipelineSpec: {
          params: [{ name: 'big' }],
          tasks: [{ name: 'use', taskRef: { name: '$(params.big)'.repeat(1000) } }],
        },
      },
    };
    const res = await post([run]);
    expect(res.status).toBe(400);
    expect(res.issues).toEqual([
      { path: '(documents)', message: expect.stringContaining('a text would be more than 8388608 characters long') },
    ]);
    expect(await stored()).toEqual(before);
  });
});
