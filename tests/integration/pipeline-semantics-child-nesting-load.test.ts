import { describe, expect, it } from 'vitest';
import { apply, rejection, useHarness } from './pipeline-semantics-support';

const h = useHarness();

const pipeline = (name: string, spec: unknown) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: { name },
  spec,
});
const leaf = { tasks: [{ name: 'x', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] } }] };
const runs = (next: string) => ({ tasks: [{ name: 'next', pipelineRef: { name: next } }] });

describe('pipelines in pipelines: apply finds stored Pipelines reached through the file', () => {
  it('accepts a file Pipeline running another of the file, which runs a stored one', async () => {
    await apply(h, [pipeline('load-stored', leaf)]);
    const applied = await apply(h, [pipeline('load-a', runs('load-b')), pipeline('load-b', runs('load-stored'))]);
    expect(applied.runs).toEqual([]);
  });

  it('still refuses a stored chain made too deep through the file', async () => {
    // load-top → load-d1 → … → load-d4 → load-stored nests 5 levels: allowed; two Pipelines of the file above it are not.
    await apply(
      h,
      [1, 2, 3, 4].map((i) => pipeline(`load-d${i}`, runs(i < 4 ? `load-d${i + 1}` : 'load-stored'))),
    );
    await apply(h, [pipeline('load-top', runs('load-d1'))]);
    const err = await rejection(
      apply(h, [pipeline('load-over', runs('load-file')), pipeline('load-file', runs('load-top'))]),
    );
    expect(err.status).toBe(400);
    expect(err.details.issues).toEqual([
      {
        path: 'documents[0].spec.tasks[0].pipelineRef.name',
        message: expect.stringContaining(
          'nest 6 deep (load-over → load-file → load-top → load-d1 → load-d2 → load-d3 → load-d4)',
        ),
      },
      {
        path: 'documents[1].spec.tasks[0].pipelineRef.name',
        message: expect.stringContaining(
          'nest 6 deep (load-file → load-top → load-d1 → load-d2 → load-d3 → load-d4 → load-stored)',
        ),
      },
    ]);
  });
});
