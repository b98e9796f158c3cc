import { describe, expect, it } from 'vitest';
import { MAX_PIPELINE_NESTING, MAX_PIPELINE_RUNS_IN_TREE } from './child-pipeline-run';
import { pipelineNestingIssues, type NestingMemo } from './pipeline-nesting';
import { ZPipelineSpec, type TPipelineSpec } from './pipeline-schemas';

/**
 * Pipelines in Pipelines of many pipeline tasks each, all running the same next Pipeline: the apply check walks
 * each stored Pipeline once (not once per task referring to it), and refuses run trees of too many PipelineRuns.
 */

/** `count` pipeline tasks all running Pipeline `next`, or `count` Task tasks when `next` is undefined. */
function fanOut(count: number, next: string | undefined): TPipelineSpec {
  return ZPipelineSpec.parse({
    tasks: Array.from({ length: count }, (_, i) =>
      next ? { name: `t${i}`, pipelineRef: { name: next } } : { name: `t${i}`, taskRef: { name: 'build' } },
    ),
  });
}

/** p1…p<levels> of `width` tasks each, each running the next; the last runs Tasks (or `last` when given). */
function chain(levels: number, width: number, last?: string): Record<string, TPipelineSpec> {
  const specs: Record<string, TPipelineSpec> = {};
  for (let l = 1; l <= levels; l++) specs[`p${l}`] = fanOut(width, l < levels ? `p${l + 1}` : last);
  return specs;
}

function check(root: TPipelineSpec, stored: Record<string, TPipelineSpec>) {
  let lookups = 0;
  const issues = pipelineNestingIssues(root, 'p0', {
    pipeline: (n) => {
      lookups++;
      return stored[n];
    },
    project: 'team',
  });
  return { issues, lookups };
}

describe('pipelineNestingIssues on wide Pipelines', () => {
  it('six Pipelines of 50 pipeline tasks each: each stored Pipeline is looked up once, the tree is refused as too big', () => {
    const { issues, lookups } = check(fanOut(50, 'p1'), chain(5, 50));
    expect(lookups).toBe(5);
    expect(issues).toEqual([
      {
        path: 'spec',
        message: expect.stringContaining(`would start more than ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns in all`),
        hint: expect.stringContaining('multiply'),
      },
    ]);
  });

  it('one level deeper is refused as too deep, at every task running the chain, naming the deepest chain', () => {
    const { issues, lookups } = check(fanOut(50, 'p1'), chain(MAX_PIPELINE_NESTING + 1, 50));
    expect(lookups).toBe(MAX_PIPELINE_NESTING);
    expect(issues).toHaveLength(50);
    expect(issues[49]).toEqual({
      path: 'spec.tasks[49].pipelineRef.name',
      message: `PipelineRuns would nest 6 deep (p0 → p1 → p2 → p3 → p4 → p5 → p6); at most ${MAX_PIPELINE_NESTING} levels are allowed`,
      hint: expect.stringMatching(/Flatten/),
    });
  });

  it('a cycle at the bottom of the wide chain is found once and reported at every task leading to it', () => {
    const { issues, lookups } = check(fanOut(50, 'p1'), chain(4, 50, 'p2'));
    expect(lookups).toBe(4);
    expect(issues).toHaveLength(50);
    expect(issues[0]).toEqual({
      path: 'spec.tasks[0].pipelineRef.name',
      message:
        'task "t0" runs Pipeline "p2", which is already running above it: p0 → p1 → p2 → p3 → p4 → p2 is a cycle',
      hint: expect.stringContaining('may not run itself'),
    });
  });

  it('a missing Pipeline at the bottom is reported at the tasks leading to it', () => {
    const { issues } = check(fanOut(3, 'p1'), chain(3, 3, 'gone'));
    expect(issues.map((i) => [i.path, i.message])).toEqual(
      [0, 1, 2].map((i) => [
        `spec.tasks[${i}].pipelineRef.name`,
        'task "t0" refers to Pipeline "gone", which does not exist',
      ]),
    );
  });

  it(`accepts a tree of exactly ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns and refuses one of ${MAX_PIPELINE_RUNS_IN_TREE + 1}`, () => {
    // p0 runs 11 × p1, each running 8 × p2: 1 + 11 × (1 + 8) = 100; with a finally task more, 1 + 11 × 10 = 111.
    expect(check(fanOut(11, 'p1'), { p1: fanOut(8, 'p2'), p2: fanOut(1, undefined) }).issues).toEqual([]);
    const over = check(fanOut(11, 'p1'), {
      p1: ZPipelineSpec.parse({
        tasks: [...fanOut(8, 'p2').tasks],
        finally: [{ name: 'f', pipelineRef: { name: 'p2' } }],
      }),
      p2: fanOut(1, undefined),
    });
    expect(over.issues.map((i) => i.path)).toEqual(['spec']);
  });

  it('documents sharing a memo walk the stored Pipelines once in all, with the same answers', () => {
    const stored = chain(4, 50);
    const memo: NestingMemo = new Map();
    let lookups = 0;
    const lookup = {
      pipeline: (n: string) => {
        lookups++;
        return stored[n];
      },
      project: 'team',
    };
    const roots = Array.from({ length: 20 }, (_, i) => [`root${i}`, fanOut(1 + i, 'p1')] as const);
    const found = roots.map(([name, root]) => pipelineNestingIssues(root, name, lookup, 'spec', memo));
    expect(lookups).toBe(4);
    // root0 runs 1 + 1 × (1 + 50 + 2 500 + …): every one of them is too big.
    expect(found.map((issues) => issues.map((i) => i.path))).toEqual(roots.map(() => ['spec']));
    expect(pipelineNestingIssues(fanOut(1, 'p4'), 'small', lookup, 'spec', memo)).toEqual([]);
  });

  it('counts the runs of embedded pipelineSpecs too', () => {
    const embedded = (count: number) =>
      ZPipelineSpec.parse({
        tasks: Array.from({ length: count }, (_, i) => ({ name: `e${i}`, pipelineSpec: fanOut(10, 'p1') })),
      });
    const stored = { p1: fanOut(1, undefined) };
    // 1 + 9 × (1 + 10) = 100; 1 + 10 × 11 = 111.
    expect(check(embedded(9), stored).issues).toEqual([]);
    expect(check(embedded(10), stored).issues.map((i) => i.path)).toEqual(['spec']);
  });
});
