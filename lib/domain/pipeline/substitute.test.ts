import { describe, expect, it } from 'vitest';
import {
  applyLaterPasses,
  lookup,
  paramScope,
  parseResultValue,
  substituteArray,
  substituteString,
  substituteValue,
  taskResultScope,
  withOnErrorResolved,
  type Scope,
} from './substitute';
import { findReferences, parseReference, resultReferences, statusReferences } from './variables';

const scope: Scope = {
  ...paramScope({ x: 'ex', 'a.b': 'dotted', arr: ['one', 'two'], obj: { url: 'https://git', rev: 'main' }, empty: [] }),
  ...taskResultScope({ build: { sha: 'abc123', files: ['a.go', 'b.go'], meta: { os: 'linux' } } }),
  'context.taskRun.name': 'pr-build',
  'context.taskRun.namespace': 'default',
  'context.taskRun.uid': 'uid-1',
  'context.task.name': 'build',
  'context.task.retry-count': '2',
  'context.pipelineRun.name': 'pr',
  'context.pipeline.name': 'p',
  'workspaces.src.path': '/workspace/src',
  'workspaces.src.bound': 'true',
  'workspaces.src.claim': '',
  'results.out.path': '/tekton/results/out',
  'steps.step-compile.exitCode.path': '/tekton/steps/step-compile/exitCode',
  'tasks.build.status': 'Succeeded',
  'tasks.build.reason': 'Succeeded',
  'tasks.status': 'Completed',
  'tasks.build.matrix.length': '3',
  'tasks.build.matrix.sha.length': '3',
};

describe('parseReference', () => {
  it.each([
    ['params.x', { segments: ['params', 'x'], index: undefined }],
    ["params['a.b']", { segments: ['params', 'a.b'], index: undefined }],
    ['params["a.b"]', { segments: ['params', 'a.b'], index: undefined }],
    ['params.arr[*]', { segments: ['params', 'arr'], index: '*' }],
    ["params['arr'][1]", { segments: ['params', 'arr'], index: 1 }],
    ['context.task.retry-count', { segments: ['context', 'task', 'retry-count'], index: undefined }],
    ['tasks.t.results.r.key', { segments: ['tasks', 't', 'results', 'r', 'key'], index: undefined }],
  ])('%s', (inner, parsed) => {
    expect(parseReference(inner)).toEqual(parsed);
  });

  it.each(['', '.x', 'params..x', 'params x', 'params[x]'])('rejects %j', (inner) => {
    expect(parseReference(inner)).toBeUndefined();
  });
});

describe('substituteString', () => {
  it.each([
    ['$(params.x)', 'ex'],
    ["$(params['x'])", 'ex'],
    ['$(params["x"])', 'ex'],
    ["$(params['a.b'])", 'dotted'],
    ['$(params.arr[0])-$(params.arr[1])', 'one-two'],
    ['$(params.obj.url)@$(params.obj.rev)', 'https://git@main'],
    ['$(context.taskRun.name)/$(context.taskRun.namespace)/$(context.taskRun.uid)', 'pr-build/default/uid-1'],
    ['$(context.task.name) try $(context.task.retry-count)', 'build try 2'],
    ['$(context.pipelineRun.name) of $(context.pipeline.name)', 'pr of p'],
    ['cd $(workspaces.src.path) && $(workspaces.src.bound)', 'cd /workspace/src && true'],
    ['claim=[$(workspaces.src.claim)]', 'claim=[]'],
    ['echo hi > $(results.out.path)', 'echo hi > /tekton/results/out'],
    ['cat $(steps.step-compile.exitCode.path)', 'cat /tekton/steps/step-compile/exitCode'],
    ['$(tasks.build.results.sha)', 'abc123'],
    ['$(tasks.build.results.files[1])', 'b.go'],
    ['$(tasks.build.results.meta.os)', 'linux'],
    ['$(tasks.build.status) $(tasks.build.reason) $(tasks.status)', 'Succeeded Succeeded Completed'],
    ['$(tasks.build.matrix.length) $(tasks.build.matrix.sha.length)', '3 3'],
    // Unknown references stay as written, as Tekton leaves them.
    [
      '$(params.nope) $(foo.bar) $(params.arr[9]) $(params.obj.missing)',
      '$(params.nope) $(foo.bar) $(params.arr[9]) $(params.obj.missing)',
    ],
    ['no refs here', 'no refs here'],
    ['$(params.arr[*])', '["one","two"]'],
    ['$(params.obj[*])', '{"url":"https://git","rev":"main"}'],
  ])('%s → %s', (text, expected) => {
    expect(substituteString(text, scope)).toBe(expected);
  });
});

describe('substituteArray', () => {
  it.each([
    [
      ['--a', '$(params.arr[*])', '--b'],
      ['--a', 'one', 'two', '--b'],
    ],
    [['$(params.arr)'], ['one', 'two']],
    [['$(params.empty[*])', 'x'], ['x']],
    [['$(tasks.build.results.files[*])'], ['a.go', 'b.go']],
    [
      ['pre-$(params.arr[0])', '$(params.x)'],
      ['pre-one', 'ex'],
    ],
    [['$(params.unknown[*])'], ['$(params.unknown[*])']],
  ])('%j → %j', (items, expected) => {
    expect(substituteArray(items, scope)).toEqual(expected);
  });
});

describe('substituteValue', () => {
  it.each([
    ['$(params.arr[*])', ['one', 'two']],
    ['$(params.obj[*])', { url: 'https://git', rev: 'main' }],
    ['$(tasks.build.results.meta[*])', { os: 'linux' }],
    ['$(params.x)-suffix', 'ex-suffix'],
    [
      ['$(params.arr[*])', 'z'],
      ['one', 'two', 'z'],
    ],
    [{ k: '$(params.x)' }, { k: 'ex' }],
  ] as const)('%j', (value, expected) => {
    expect(substituteValue(value as never, scope)).toEqual(expected);
  });

  it('does not share arrays with the scope', () => {
    const out = substituteValue('$(params.arr[*])', scope) as string[];
    out.push('mutated');
    expect(scope['params.arr']).toEqual(['one', 'two']);
  });
});

describe('lookup', () => {
  it('returns undefined for an index on a string', () => {
    expect(lookup({ segments: ['params', 'x'], index: 0 }, scope)).toBeUndefined();
  });
});

describe('references', () => {
  it('finds result and status references', () => {
    const texts = [
      '$(tasks.a.results.x) and $(tasks.b.results.y[*])',
      '$(params.p)',
      '$(tasks.c.status) $(tasks.status) $(tasks.d.reason)',
    ];
    expect(resultReferences(texts).map((r) => `${r.task}.${r.result}`)).toEqual(['a.x', 'b.y']);
    expect(resultReferences(['$(finally.f.results.z)']).map((r) => `${r.task}.${r.result}`)).toEqual(['f.z']);
    expect(statusReferences(texts).map((r) => r.task)).toEqual(['c', 'd']);
    expect(findReferences('$(a) $(b.c) text').map((r) => r.text)).toEqual(['$(a)', '$(b.c)']);
  });
});

describe('parseResultValue', () => {
  it.each([
    ['plain\n', 'string', 'plain\n'],
    ['["a","b"]', 'array', ['a', 'b']],
    ['[1,true]', 'array', ['1', 'true']],
    ['{"k":"v"}', 'object', { k: 'v' }],
    ['not json', 'array', 'not json'],
  ] as const)('%j as %s', (text, type, expected) => {
    expect(parseResultValue(text, type)).toEqual(expected);
  });
});

describe("legacy $(inputs.params.…), which Tekton's TaskRun substitution still rewrites", () => {
  const task = paramScope({ x: 'ex', arr: ['one', 'two'], obj: { url: 'u' } }, { legacy: true });

  it.each([
    ['$(inputs.params.x)', 'ex'],
    ['$(inputs.params.arr[1])', 'two'],
    ['$(inputs.params.obj.url)', 'u'],
  ])('%s in a Task', (text, expected) => {
    expect(substituteString(text, task)).toBe(expected);
  });

  it('expands a whole legacy array reference in args, and is not a Pipeline form', () => {
    expect(substituteArray(['-v', '$(inputs.params.arr[*])'], task)).toEqual(['-v', 'one', 'two']);
    expect(substituteString('$(inputs.params.x)', paramScope({ x: 'ex' }))).toBe('$(inputs.params.x)');
  });
});

describe('withOnErrorResolved', () => {
  it("substitutes a pipeline task's onError: $(params.x) and leaves the spec alone without one", () => {
    const spec = {
      tasks: [
        { name: 'a', taskRef: { name: 't' }, onError: '$(params.mode)' },
        { name: 'b', taskRef: { name: 't' }, onError: 'stopAndFail' },
      ],
    };
    const resolved = withOnErrorResolved(spec, paramScope({ mode: 'continue' }));
    expect(resolved.tasks.map((t) => t.onError)).toEqual(['continue', 'stopAndFail']);
    const plain = { tasks: [spec.tasks[1]] };
    expect(withOnErrorResolved(plain, {})).toBe(plain);
  });
});

describe('applyLaterPasses', () => {
  it('substitutes context, workspace and result paths inside param values, not params inside params', () => {
    const scope = applyLaterPasses({
      ...paramScope({ a: 'run-$(context.taskRun.name)', b: ['$(workspaces.src.path)/x'], c: { k: '$(params.a)' } }),
      'context.taskRun.name': 'tr',
      'workspaces.src.path': '/workspace/src',
    });
    expect(substituteString('$(params.a) $(params.b[0]) $(params.c.k)', scope)).toBe(
      'run-tr /workspace/src/x $(params.a)',
    );
  });
});
