import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { pipelineRuns } from '../../lib/adapters/db/schema';
import { startPipeline } from '../../lib/server/pipeline/start-pipeline';
import { apply, child, logLines, rejection, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

const definitions = `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: show-params }
spec:
  params:
    - { name: flags, type: array }
    - name: target
      type: object
      properties: { host: {}, port: {} }
    - { name: mode, enum: [fast, safe], default: safe }
  steps:
    - name: show
      image: alpine
      command: [sh, -c, 'for a in "$@"; do echo "arg $a"; done', --]
      args: ["first", "$(params.flags[*])", "$(params.target.host):$(params.target.port)", "mode=$(params.mode)"]
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: { name: params-demo }
spec:
  params:
    - { name: flags, type: array, default: [-v] }
    - name: target
      type: object
      properties: { host: {}, port: {} }
    - { name: mode, enum: [fast, safe], default: safe }
    - { name: greeting }
  tasks:
    - name: show
      taskRef: { name: show-params }
      params:
        - { name: flags, value: ["$(params.flags[*])"] }
        - { name: target, value: "$(params.target[*])" }
        - { name: mode, value: "$(params.mode)" }
    - name: inline
      taskSpec:
        steps:
          - name: hello
            image: alpine
            script: echo "propagated $(params.greeting) to $(params.target.host)"
`;

describe('params', () => {
  it('expands an array param with [*] into args, reads object keys, and propagates params into an inline taskSpec', async () => {
    await apply(h, definitions);
    const created = await startPipeline(h.control(), h.me, 'params-demo', {
      params: [
        { name: 'flags', value: ['-a', 'b c'] },
        { name: 'target', value: { host: 'db.local', port: '5432' } },
        { name: 'mode', value: 'fast' },
        { name: 'greeting', value: 'hello' },
      ],
    });
    await h.engine.advance(created.id);
    const done = await waitForRun(h, created.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const show = await child(h, created.id, 'show');
    expect((await logLines(h, show.id)).filter((l) => l.startsWith('arg '))).toEqual([
      'arg first',
      'arg -a',
      'arg b c',
      'arg db.local:5432',
      'arg mode=fast',
    ]);
    const inline = await child(h, created.id, 'inline');
    expect(await logLines(h, inline.id)).toContain('propagated hello to db.local');
  });

  it('refuses an enum violation at start with a 400 naming the param, and stores no run', async () => {
    const before = (await h.t.handle.db.select().from(pipelineRuns)).length;
    const err = await rejection(
      startPipeline(h.control(), h.me, 'params-demo', {
        generateName: 'enum-bad-',
        params: [
          { name: 'target', value: { host: 'h', port: '1' } },
          { name: 'mode', value: 'reckless' },
          { name: 'greeting', value: 'x' },
        ],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.message).toContain('"mode"');
    expect(err.message).toContain('"reckless"');
    expect(err.message).toMatch(/"fast", "safe"/);
    expect((await h.t.handle.db.select().from(pipelineRuns)).length).toBe(before);
  });

  it('refuses a missing required param with a 400 naming it, from start and from an applied PipelineRun', async () => {
    const before = (await h.t.handle.db.select().from(pipelineRuns)).length;
    const err = await rejection(
      startPipeline(h.control(), h.me, 'params-demo', {
        params: [{ name: 'target', value: { host: 'h', port: '1' } }],
      }),
    );
    expect(err.status).toBe(400);
    expect(err.message).toContain('greeting');
    const applied = await rejection(
      apply(h, {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'missing-param' },
        spec: { pipelineRef: { name: 'params-demo' }, params: [{ name: 'greeting', value: 'x' }] },
      }),
    );
    expect(applied.status).toBe(400);
    expect(applied.message).toContain('target');
    expect(await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, 'missing-param'))).toHaveLength(
      0,
    );
    expect((await h.t.handle.db.select().from(pipelineRuns)).length).toBe(before);
  });

  it('uses defaults for params that are not given', async () => {
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'defaults' },
      spec: {
        pipelineRef: { name: 'params-demo' },
        params: [
          { name: 'greeting', value: 'hi' },
          { name: 'target', value: { host: 'x', port: '2' } },
        ],
      },
    });
    const done = await waitForRun(h, run.id);
    expect(done.conditionReason).toBe('Succeeded');
    const show = await child(h, run.id, 'show');
    expect((await logLines(h, show.id)).filter((l) => l.startsWith('arg '))).toEqual([
      'arg first',
      'arg -v',
      'arg x:2',
      'arg mode=safe',
    ]);
  });
});
