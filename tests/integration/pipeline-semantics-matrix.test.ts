import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { definitions, pipelineRuns, taskRuns } from '../../lib/adapters/db/schema';
import {
  apply,
  children,
  logLines,
  rejection,
  result,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

const fanOut = `apiVersion: tekton.dev/v1
kind: Task
metadata: { name: greet }
spec:
  params:
    - { name: who }
    - { name: how }
  results: [{ name: line }]
  steps:
    - name: say
      image: alpine
      script: printf '%s' "$(params.how)-$(params.who)" > $(results.line.path)
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: fan }
spec:
  pipelineSpec:
    tasks:
      - name: greet
        taskRef: { name: greet }
        matrix:
          params:
            - { name: who, value: [ann, bob] }
            - { name: how, value: [hi, yo] }
          include:
            - name: extra
              params:
                - { name: who, value: cy }
                - { name: how, value: hey }
      - name: collect
        params:
          - { name: lines, value: "$(tasks.greet.results.line[*])" }
          - { name: count, value: "$(tasks.greet.matrix.length)" }
        taskSpec:
          params:
            - { name: lines, type: array }
            - { name: count }
          steps:
            - name: show
              image: alpine
              args: ["$(params.lines[*])"]
              script: |
                echo "count=$(params.count)"
                for l in "$@"; do echo "got $l"; done
`;

describe('matrix', () => {
  it('fans out over the cartesian product plus include, gathers string results into an array and counts them', async () => {
    const run = await start(h, fanOut);
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const rows = await children(h, run.id);
    const greets = rows.filter((r) => r.pipelineTask === 'greet').sort((a, b) => a.matrixIndex! - b.matrixIndex!);
    expect(greets.map((g) => g.name)).toEqual([0, 1, 2, 3, 4].map((i) => `fan-greet-${i}`));
    expect(greets.every((g) => g.state === 'succeeded')).toBe(true);
    const values = greets.map((g) => result(g.status, 'line'));
    expect([...values].sort()).toEqual(['hey-cy', 'hi-ann', 'hi-bob', 'yo-ann', 'yo-bob']);
    expect(
      done.status
        .childReferences!.filter((c) => c.pipelineTaskName === 'greet')
        .map((c) => c.name)
        .sort(),
    ).toEqual(greets.map((g) => g.name));
    const collect = rows.find((r) => r.pipelineTask === 'collect')!;
    const lines = await logLines(h, collect.id);
    expect(lines).toContain('count=5');
    expect(lines.filter((l) => l.startsWith('got ')).map((l) => l.slice(4))).toEqual(values);
  });

  it('refuses a matrix over 256 combinations at apply with a 400 and stores nothing', async () => {
    const many = (p: string) => Array.from({ length: 17 }, (_, i) => `${p}${i}`);
    const doc = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: { name: 'too-wide' },
      spec: {
        tasks: [
          {
            name: 'wide',
            matrix: {
              params: [
                { name: 'a', value: many('a') },
                { name: 'b', value: many('b') },
              ],
            },
            taskSpec: {
              params: [{ name: 'a' }, { name: 'b' }],
              steps: [{ name: 's', image: 'alpine', script: 'true' }],
            },
          },
        ],
      },
    };
    const before = await h.t.handle.db.select().from(pipelineRuns);
    const err = await rejection(
      apply(h, [
        doc,
        {
          apiVersion: 'tekton.dev/v1',
          kind: 'PipelineRun',
          metadata: { name: 'too-wide-run' },
          spec: { pipelineRef: { name: 'too-wide' } },
        },
      ]),
    );
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/289 combinations, over the cap of 256/);
    expect(err.details.issues![0].path).toMatch(/^documents\[0\]\.spec\.tasks\[0\]/);
    expect(await h.t.handle.db.select().from(pipelineRuns)).toHaveLength(before.length);
    expect(await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.name, 'too-wide-run-wide-0'))).toHaveLength(0);
    expect(await h.t.handle.db.select().from(definitions).where(eq(definitions.name, 'too-wide'))).toHaveLength(0);
  });
});
