import { describe, expect, it } from 'vitest';
import { child, children, logLines, pipelineRun, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

const produce = (value: string) => ({
  name: 'a',
  taskSpec: {
    results: [{ name: 'r' }],
    steps: [{ name: 'p', image: 'alpine', script: `printf '${value}' > $(results.r.path)` }],
  },
});
const echo = (name: string, extra: Record<string, unknown>, text = name) => ({
  name,
  ...extra,
  taskSpec: { steps: [{ name: 'e', image: 'alpine', script: `echo ${text}` }] },
});

describe('when on results', () => {
  it('runs or skips tasks on in/notin over a result, and a when on a result is an edge', async () => {
    const run = await start(
      h,
      pipelineRun('when-result', {
        tasks: [
          produce('green'),
          echo('if-green', { when: [{ input: '$(tasks.a.results.r)', operator: 'in', values: ['green', 'blue'] }] }),
          echo('if-red', { when: [{ input: '$(tasks.a.results.r)', operator: 'in', values: ['red'] }] }),
          echo('unless-red', { when: [{ input: '$(tasks.a.results.r)', operator: 'notin', values: ['red'] }] }),
          echo('unless-green', { when: [{ input: '$(tasks.a.results.r)', operator: 'notin', values: ['green'] }] }),
          echo('both', {
            when: [
              { input: '$(tasks.a.results.r)', operator: 'in', values: ['green'] },
              { input: 'x', operator: 'notin', values: ['x'] },
            ],
          }),
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({
      status: 'True',
      reason: 'Completed',
      message: 'Tasks Completed: 3 (Failed: 0, Cancelled 0), Skipped: 3',
    });
    const reason = 'When Expressions evaluated to false';
    expect([...done.status.skippedTasks!].sort((x, y) => x.name.localeCompare(y.name))).toEqual([
      { name: 'both', reason },
      { name: 'if-red', reason },
      { name: 'unless-green', reason },
    ]);
    expect((await children(h, run.id)).map((c) => c.pipelineTask).sort()).toEqual(['a', 'if-green', 'unless-red']);
    const a = await child(h, run.id, 'a');
    const ifGreen = await child(h, run.id, 'if-green');
    // The when on a's result made a an upstream of if-green even without runAfter.
    expect(new Date(ifGreen.startedAt!).getTime()).toBeGreaterThanOrEqual(new Date(a.completedAt!).getTime());
  });

  it('skips consumers of a skipped task\'s results with "Results were missing"; runAfter-only dependents still run', async () => {
    const run = await start(
      h,
      pipelineRun('missing-results', {
        params: [{ name: 'go', default: 'no' }],
        tasks: [
          { ...produce('v'), when: [{ input: '$(params.go)', operator: 'in', values: ['yes'] }] },
          {
            name: 'consume',
            params: [{ name: 'v', value: '$(tasks.a.results.r)' }],
            taskSpec: { params: [{ name: 'v' }], steps: [{ name: 'c', image: 'alpine', script: 'echo $(params.v)' }] },
          },
          echo('guarded', { when: [{ input: '$(tasks.a.results.r)', operator: 'in', values: ['v'] }] }),
          echo('after-a', { runAfter: ['a'] }, 'ran after a'),
          echo('after-consume', { runAfter: ['consume'] }),
        ],
        finally: [
          {
            name: 'report',
            params: [
              { name: 's', value: '$(tasks.a.status) $(tasks.consume.status) $(tasks.after-a.status) $(tasks.status)' },
            ],
            taskSpec: {
              params: [{ name: 's' }],
              steps: [{ name: 'e', image: 'alpine', script: 'echo "$(params.s)"' }],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Completed' });
    const byName = Object.fromEntries(done.status.skippedTasks!.map((s) => [s.name, s.reason]));
    expect(byName).toEqual({
      a: 'When Expressions evaluated to false',
      consume: 'Results were missing',
      guarded: 'Results were missing',
      'after-consume': 'Parent Tasks were skipped',
    });
    const afterA = await child(h, run.id, 'after-a');
    expect(afterA.state).toBe('succeeded');
    expect(await logLines(h, afterA.id)).toContain('ran after a');
    const report = await child(h, run.id, 'report');
    expect(await logLines(h, report.id)).toContain('None None Succeeded Completed');
  });
});
