import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pipelineNestingIssues, pipelineRefNames } from './pipeline-nesting';
import { ZPipelineSpec, ZPipelineTask, type TPipelineSpec } from './pipeline-schemas';

const spec = (yaml: string) => ZPipelineSpec.parse(parse(yaml));
const refTo = (name: string) => spec(`tasks: [{name: next, pipelineRef: {name: ${name}}}]`);
const leaf = spec('tasks: [{name: x, taskRef: {name: t}}]');

function issues(root: TPipelineSpec, name: string | undefined, stored: Record<string, TPipelineSpec>) {
  return pipelineNestingIssues(root, name, { pipeline: (n) => stored[n], project: 'team' });
}

describe('pipelineNestingIssues', () => {
  it('accepts a chain of 5 levels and refuses the 6th at the field where it starts', () => {
    const stored = { p1: refTo('p2'), p2: refTo('p3'), p3: refTo('p4'), p4: refTo('p5'), p5: leaf };
    expect(issues(refTo('p1'), 'p0', stored)).toEqual([]);
    const deeper = { ...stored, p5: refTo('p6'), p6: leaf };
    expect(issues(refTo('p1'), 'p0', deeper)).toEqual([
      {
        path: 'spec.tasks[0].pipelineRef.name',
        message: expect.stringContaining('nest 6 deep (p0 → p1 → p2 → p3 → p4 → p5 → p6)'),
        hint: expect.stringMatching(/Flatten/),
      },
    ]);
  });

  it('counts embedded pipelineSpecs as levels too', () => {
    let nested = leaf;
    for (let i = 0; i < 6; i++) nested = ZPipelineSpec.parse({ tasks: [{ name: `e${i}`, pipelineSpec: nested }] });
    const found = issues(nested, 'top', {});
    expect(found).toHaveLength(1);
    expect(found[0].path).toMatch(/^spec\.tasks\[0\](\.pipelineSpec\.tasks\[0\]){5}\.pipelineSpec$/);
  });

  const finallyToA = spec('tasks: [{name: x, taskRef: {name: t}}]\nfinally: [{name: f, pipelineRef: {name: a}}]');
  it.each<[string, TPipelineSpec, Record<string, TPipelineSpec>, string]>([
    ['itself', refTo('a'), {}, 'a → a'],
    ['through another', refTo('b'), { b: refTo('a') }, 'a → b → a'],
    ['in a finally task', refTo('b'), { b: finallyToA }, 'a → b → a'],
  ])('refuses a Pipeline that runs %s', (_, root, stored, chain) => {
    const name = 'a';
    const found = issues(root, name, stored);
    expect(found).toEqual([
      expect.objectContaining({
        path: 'spec.tasks[0].pipelineRef.name',
        message: expect.stringContaining(`${chain} is a cycle`),
      }),
    ]);
  });

  it('a missing Pipeline, and one of another project (not named)', () => {
    const root = spec('tasks: [{name: a, pipelineRef: {name: gone}}, {name: b, pipelineRef: {name: theirs}}]');
    const found = pipelineNestingIssues(root, 'p', {
      pipeline: () => undefined,
      elsewhere: (n) => (n === 'theirs' ? 'other' : undefined),
      project: 'team',
    });
    expect(found.map((i) => [i.path, i.message])).toEqual([
      ['spec.tasks[0].pipelineRef.name', 'task "a" refers to Pipeline "gone", which does not exist'],
      [
        'spec.tasks[1].pipelineRef.name',
        'task "b" refers to Pipeline "theirs", which does not exist in project "team" (a Pipeline of that name belongs to another project)',
      ],
    ]);
    expect(found[1].hint).not.toContain('other');
  });

  it('pipelineRefNames reads embedded specs', () => {
    const root = ZPipelineSpec.parse({
      tasks: [{ name: 'e', pipelineSpec: { tasks: [{ name: 'r', pipelineRef: { name: 'deep' } }] } }],
      finally: [{ name: 'f', pipelineRef: { name: 'fin' } }],
    });
    expect(pipelineRefNames(root)).toEqual(['deep', 'fin']);
  });
});

describe('ZPipelineTask: pipelineRef and pipelineSpec', () => {
  const issuesOf = (task: unknown) => {
    const r = ZPipelineTask.safeParse(task);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('accepts either one, with params, workspaces, when, timeout and onError', () => {
    expect(
      issuesOf({
        name: 'c',
        pipelineRef: { name: 'inner', apiVersion: 'tekton.dev/v1' },
        params: [{ name: 'p', value: 'v' }],
        workspaces: [{ name: 'w', workspace: 'x' }],
        when: [{ input: 'a', operator: 'in', values: ['a'] }],
        timeout: '5m',
        onError: 'continue',
      }),
    ).toEqual([]);
    expect(issuesOf({ name: 'c', pipelineSpec: { tasks: [{ name: 'x', taskRef: { name: 't' } }] } })).toEqual([]);
  });

  it.each([
    [
      { name: 'c' },
      'taskRef: a pipeline task needs exactly one of taskRef or taskSpec (or pipelineRef or pipelineSpec to run a Pipeline)',
    ],
    [
      { name: 'c', taskRef: { name: 't' }, pipelineRef: { name: 'p' } },
      'taskRef: a pipeline task needs exactly one of taskRef or taskSpec (or pipelineRef or pipelineSpec to run a Pipeline), not both taskRef and pipelineRef',
    ],
    [
      { name: 'c', pipelineRef: { name: 'p' }, retries: 1 },
      'retries: retries are not supported on a pipeline task that runs a Pipeline: set retries on the tasks inside the child Pipeline',
    ],
    [
      { name: 'c', pipelineRef: { name: 'p', resolver: 'git' } },
      'pipelineRef.resolver: a child Pipeline is referred to by name in the same project: apply it first (resolvers are not supported for pipelineRef in a pipeline task)',
    ],
    [{ name: 'c', pipelineRef: { name: 'p', bundle: 'x' } }, 'pipelineRef: Unrecognized key: "bundle"'],
    [
      { name: 'c', pipelineSpec: { tasks: [{ name: 'x', taskRef: { name: 't' }, oops: 1 }] } },
      'pipelineSpec.tasks.0: Unrecognized key: "oops"',
    ],
  ])('refuses %j', (task, issue) => {
    expect(issuesOf(task)).toContain(issue);
  });
});
