import { describe, expect, it } from 'vitest';
import type { TParamValue } from './param-schemas';
import { planChildTaskRun, type ChildContext } from './plan-child-task-run';
import { planTaskStart } from './plan-task-start';
import { ZPipelineSpec, type TPipelineSpec } from './pipeline-schemas';
import { propagatedWorkspaces, workspacesUsedBy } from './propagation';
import { resolveTaskRun } from './resolve-task-run';
import { paramScope } from './substitute';
import { ZTaskSpec, type TTaskSpec } from './task-schemas';
import { validatePipeline } from './validate-pipeline';

const spec = (over: Record<string, unknown>): TTaskSpec =>
  ZTaskSpec.parse({ steps: [{ name: 's', image: 'alpine' }], ...over });
const step = (over: Record<string, unknown>) => spec({ steps: [{ name: 's', image: 'alpine', ...over }] });

describe('workspacesUsedBy (Tekton FindWorkspacesUsedByTask)', () => {
  it.each<[string, TTaskSpec, string[]]>([
    ['script', step({ script: 'ls $(workspaces.src.path)' }), ['src']],
    ['args', step({ command: ['ls'], args: ['$(workspaces.a.path)', '$(workspaces.b.bound)'] }), ['a', 'b']],
    ['command', step({ command: ['$(workspaces.bin.path)/run'] }), ['bin']],
    ['workingDir', step({ workingDir: '$(workspaces.src.path)/app', command: ['ls'] }), ['src']],
    ['env value', step({ command: ['env'], env: [{ name: 'D', value: '$(workspaces.cache.path)' }] }), ['cache']],
    [
      'StepAction params',
      spec({ steps: [{ ref: { name: 'a' }, params: [{ name: 'd', value: '$(workspaces.out.path)' }] }] }),
      ['out'],
    ],
    ['stepTemplate', spec({ stepTemplate: { workingDir: '$(workspaces.tpl.path)' } }), ['tpl']],
    ['the image is not a place Tekton looks', step({ image: '$(workspaces.img.path)', command: ['true'] }), []],
    ['params are not workspaces', step({ script: 'echo $(params.workspaces)' }), []],
  ])('%s', (_name, taskSpec, expected) => {
    expect(workspacesUsedBy(taskSpec).sort()).toEqual(expected);
  });
});

describe('propagatedWorkspaces', () => {
  const uses = step({ script: 'ls $(workspaces.src.path) $(workspaces.out.path)' });
  it('an embedded taskSpec gets what it uses and its pipeline task does not bind', () => {
    expect(propagatedWorkspaces({ taskSpec: uses, workspaces: [{ name: 'out', workspace: 'results' }] })).toEqual([
      'src',
    ]);
  });
  it('a referenced Task gets none', () => {
    expect(propagatedWorkspaces({ workspaces: [] })).toEqual([]);
  });
});

const pipeline = (doc: unknown): TPipelineSpec => ZPipelineSpec.parse(doc);
const writer = {
  name: 'write',
  taskSpec: { steps: [{ name: 'w', image: 'alpine', script: 'echo > $(workspaces.shared-data.path)/f' }] },
};

describe('validatePipeline with propagated workspaces (Tekton docs/pipelineruns.md, Propagated Workspaces)', () => {
  const run = [{ name: 'shared-data', emptyDir: {} }];
  it('accepts an embedded pipelineSpec that declares no workspace when the run binds what its taskSpecs use', () => {
    expect(validatePipeline(pipeline({ tasks: [writer] }), { runWorkspaces: run })).toEqual([]);
  });
  it('accepts a referenced Task bound to a run workspace the embedded pipelineSpec does not declare', () => {
    const fetch = spec({ workspaces: [{ name: 'shared-data' }] });
    const p = pipeline({
      tasks: [{ name: 'fetch', taskRef: { name: 'fetch' }, workspaces: [{ name: 'shared-data' }] }, writer],
    });
    expect(validatePipeline(p, { runWorkspaces: run, resolveTask: () => fetch })).toEqual([]);
  });
  it('accepts a stored Pipeline whose taskSpecs use workspaces it does not declare: the run must bind them', () => {
    expect(validatePipeline(pipeline({ tasks: [writer] }))).toEqual([]);
  });
  it('refuses a run that does not bind a workspace a taskSpec uses, as Tekton fails it', () => {
    const errors = validatePipeline(pipeline({ tasks: [writer] }), { runWorkspaces: [] });
    expect(errors).toEqual([
      expect.objectContaining({
        reason: 'InvalidWorkspaceBindings',
        path: 'spec.tasks[0].taskSpec',
        message: expect.stringContaining(
          'expected workspace "shared-data" to be provided by pipelinerun for pipeline task "write"',
        ),
      }),
    ]);
  });
  it('accepts an unbound one the taskSpec declares optional', () => {
    const optional = {
      ...writer,
      taskSpec: { ...writer.taskSpec, workspaces: [{ name: 'shared-data', optional: true }] },
    };
    expect(validatePipeline(pipeline({ tasks: [optional] }), { runWorkspaces: [] })).toEqual([]);
  });
  it('refuses binding a referenced Task to a workspace it does not declare', () => {
    const p = pipeline({
      workspaces: [{ name: 'ws' }],
      tasks: [{ name: 't', taskRef: { name: 'plain' }, workspaces: [{ name: 'ws' }] }],
    });
    const errors = validatePipeline(p, { resolveTask: () => spec({}) });
    expect(errors).toEqual([
      expect.objectContaining({
        path: 'spec.tasks[0].workspaces[0].name',
        message: expect.stringContaining('does not match any declared workspace'),
      }),
    ]);
  });
});

describe('resolveTaskRun workspace bindings', () => {
  const context = { taskRunName: 'tr', namespace: 'default', taskRunUid: 'u', taskName: 't', retryCount: 0 };
  const uses = step({ command: ['echo'], args: ['$(workspaces.tr-workspace.path)'] });
  const workspaces = { 'tr-workspace': { hostPath: '/x' } };
  it('mounts an undeclared binding into an embedded spec at /workspace/<name>', () => {
    const resolved = resolveTaskRun({ spec: uses, params: {}, context: { ...context, inlineSpec: true }, workspaces });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
    expect(resolved.plan.steps[0].args).toEqual(['/workspace/tr-workspace']);
  });
  it('refuses it for a referenced Task (TaskRunValidationFailed)', () => {
    const resolved = resolveTaskRun({ spec: uses, params: {}, context: { ...context, inlineSpec: false }, workspaces });
    expect(resolved).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          reason: 'TaskRunValidationFailed',
          message: 'workspace binding "tr-workspace" does not match any declared workspace',
        }),
      ],
    });
  });
});

/** Ported from Tekton's pipelinerun/resources apply_test.go, "parameter propagation …" cases; each runs in tasks and finally. */
const echo = { script: 'echo "$(params.HELLO)"' };
const echoArray = { command: ['echo'], args: ['echo', '$(params.HELLO[*])'] };
const echoObject = (p: string) => ({ command: ['echo'], args: ['echo', `$(params.${p}.key1) $(params.${p}.key2)`] });
const objectDecl = (p: string) => [
  { name: p, type: 'object', properties: { key1: {}, key2: {} }, default: { key1: 'default', key2: 'param!' } },
];
const cases: {
  name: string;
  run: Record<string, TParamValue>;
  taskParams?: Record<string, TParamValue>;
  declared?: unknown[];
  step: Record<string, unknown>;
  expected: Record<string, unknown>;
}[] = [
  {
    name: 'string, no task param or default: the pipeline wins',
    run: { HELLO: 'hello param!' },
    step: echo,
    expected: { script: 'echo "hello param!"' },
  },
  {
    name: 'array, no task param or default: the pipeline wins',
    run: { HELLO: ['hello', 'param', '!!!'] },
    step: echoArray,
    expected: { args: ['echo', 'hello', 'param', '!!!'] },
  },
  {
    name: 'object keys',
    run: { myObject: { key1: 'hello', key2: 'world!' } },
    step: echoObject('myObject'),
    expected: { args: ['echo', 'hello world!'] },
  },
  {
    name: 'string with a task default: the pipeline wins',
    run: { HELLO: 'pipeline param!' },
    declared: [{ name: 'HELLO', default: 'default param!' }],
    step: echo,
    expected: { script: 'echo "pipeline param!"' },
  },
  {
    name: 'array with a task default: the pipeline wins',
    run: { HELLO: ['pipeline', 'param!'] },
    declared: [{ name: 'HELLO', type: 'array', default: ['default', 'param!'] }],
    step: echoArray,
    expected: { args: ['echo', 'pipeline', 'param!'] },
  },
  {
    name: 'array with a task default and a task param: the task wins',
    run: { HELLO: ['pipeline', 'param!'] },
    taskParams: { HELLO: ['task', 'param!'] },
    declared: [{ name: 'HELLO', type: 'array', default: ['default', 'param!'] }],
    step: echoArray,
    expected: { args: ['echo', 'task', 'param!'] },
  },
  {
    name: 'string with a task default and a task param: the task wins',
    run: { HELLO: 'pipeline param!' },
    taskParams: { HELLO: 'task param!' },
    declared: [{ name: 'HELLO', default: 'default param!' }],
    step: echo,
    expected: { script: 'echo "task param!"' },
  },
  {
    name: 'object with a task default: the pipeline wins',
    run: { myobject: { key1: 'pipeline', key2: 'param!!' } },
    declared: objectDecl('myobject'),
    step: echoObject('myobject'),
    expected: { args: ['echo', 'pipeline param!!'] },
  },
  {
    name: 'object with a task default and a task param: the task wins',
    run: { myobject: { key1: 'pipeline', key2: 'param!!' } },
    taskParams: { myobject: { key1: 'task', key2: 'param!' } },
    declared: objectDecl('myobject'),
    step: echoObject('myobject'),
    expected: { args: ['echo', 'task param!'] },
  },
  // Beyond the table: a pipeline task's own param reaches its taskSpec undeclared (TaskRun-level propagation).
  {
    name: "a pipeline task's param the taskSpec does not declare",
    run: {},
    taskParams: { only: 'from the task' },
    step: { script: 'echo "$(params.only)"' },
    expected: { script: 'echo "from the task"' },
  },
];
const sections = ['tasks', 'finally'] as const;

describe('propagated params into embedded taskSpecs', () => {
  const ctx: ChildContext = {
    pipelineRunName: 'pr',
    pipelineRunId: 'uid',
    taskSpecs: {},
    boundWorkspaces: {},
    companions: { configMaps: {}, secrets: {} },
    stepActions: () => undefined,
  };
  it.each(cases.flatMap((c) => sections.map((section) => ({ ...c, section }))))('$name ($section)', (c) => {
    const task = {
      name: 'echo',
      params: Object.entries(c.taskParams ?? {}).map(([name, value]) => ({ name, value })),
      taskSpec: ZTaskSpec.parse({ params: c.declared, steps: [{ name: 'step1', image: 'alpine', ...c.step }] }),
    };
    const p = pipeline({
      tasks: c.section === 'tasks' ? [task] : [{ name: 'first', taskSpec: spec({}) }],
      ...(c.section === 'finally' ? { finally: [task] } : {}),
    });
    const planned = planTaskStart(task, p, paramScope(c.run), c.run, {
      pipelineRunName: 'pr',
      isFinally: c.section === 'finally',
      attempt: 0,
    });
    if (!planned.ok) throw new Error('not planned');
    const child = planChildTaskRun(planned.starts[0], ctx, 'tr-uid');
    if (!child.ok) throw new Error(JSON.stringify(child.errors));
    expect(child.plan.steps[0]).toMatchObject(c.expected);
  });
});
