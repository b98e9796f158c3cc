import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { definitions, pipelineRuns } from '../../lib/adapters/db/schema';
import { pipeline, runOf } from './pipeline-concurrency-support';
import { apply, rejection, useHarness } from './pipeline-semantics-support';

const h = useHarness();

describe('concurrency annotations at apply', () => {
  const cases: { annotations: Record<string, string>; path: string }[] = [
    {
      annotations: { 'keelson.dev/concurrency': '0' },
      path: 'documents[0].metadata.annotations["keelson.dev/concurrency"]',
    },
    {
      annotations: { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-strategy': 'latest' },
      path: 'documents[0].metadata.annotations["keelson.dev/concurrency-strategy"]',
    },
    {
      annotations: { 'keelson.dev/concurrency': '1', 'keelson.dev/concurrency-key': '$(params.nope)' },
      path: 'documents[0].metadata.annotations["keelson.dev/concurrency-key"]',
    },
  ];
  for (const [i, c] of cases.entries())
    it(`refuses ${JSON.stringify(c.annotations)} with its path and stores nothing`, async () => {
      const name = `bad-conc-${i}`;
      const doc = pipeline(name, c.annotations);
      doc.metadata.annotations = c.annotations as typeof doc.metadata.annotations;
      const err = await rejection(apply(h, doc));
      expect(err.status).toBe(400);
      expect(err.details.issues?.[0].path).toBe(c.path);
      expect(err.details.issues?.[0].message).toMatch(/\(.+\.\)$/);
      expect(await h.t.handle.db.select().from(definitions).where(eq(definitions.name, name))).toEqual([]);
    });

  it('refuses a run whose own key names no string param of the Pipeline, storing no run', async () => {
    const doc = pipeline('keyless', { 'keelson.dev/concurrency': '1' });
    doc.spec.params.push({ name: 'list', type: 'array', default: ['a'] } as never);
    await apply(h, doc);
    const run = runOf('keyless', 'keyless-a');
    const own = { 'keelson.dev/concurrency-key': '$(params.list)' };
    const err = await rejection(apply(h, { ...run, metadata: { ...run.metadata, annotations: own } }));
    expect(err.status).toBe(400);
    expect(err.details.issues?.[0].path).toBe('documents[0].metadata.annotations["keelson.dev/concurrency-key"]');
    expect(await h.t.handle.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, 'keyless-a'))).toEqual([]);
  });
});
