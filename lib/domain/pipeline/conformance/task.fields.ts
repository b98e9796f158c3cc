import { type FieldCase, type GoFields, refused } from './cases';
import { task, taskWithStep } from './documents';

export const taskGoFields: GoFields = {
  TaskSpec: [
    'params',
    'displayName',
    'description',
    'steps',
    'volumes',
    'stepTemplate',
    'sidecars',
    'workspaces',
    'results',
  ],
  WorkspaceDeclaration: ['name', 'description', 'mountPath', 'readOnly', 'optional'],
  WorkspaceUsage: ['name', 'mountPath'],
  ParamSpec: ['name', 'type', 'description', 'properties', 'default', 'enum'],
  TaskResult: ['name', 'type', 'properties', 'description', 'value'],
  StepResult: ['name', 'type', 'properties', 'description'],
};

const ws = { workspaces: [{ name: 'src' }] };
export const taskCases: FieldCase[] = [
  // TaskSpec
  { type: 'TaskSpec', field: 'params', doc: task({ params: [{ name: 'x' }] }), expect: 'accepted' },
  { type: 'TaskSpec', field: 'displayName', doc: task({ displayName: 'Build it' }), expect: 'accepted' },
  { type: 'TaskSpec', field: 'description', doc: task({ description: 'Builds' }), expect: 'accepted' },
  { type: 'TaskSpec', field: 'steps', doc: task({}), expect: 'accepted' },
  {
    type: 'TaskSpec',
    field: 'steps',
    title: 'none',
    doc: task({ steps: [] }),
    expect: refused('spec.steps', /at least one step/),
    upstream: 'missing field(s): steps',
  },
  { type: 'TaskSpec', field: 'volumes', doc: task({ volumes: [{ name: 'v', emptyDir: {} }] }), expect: 'known' },
  { type: 'TaskSpec', field: 'stepTemplate', doc: task({ stepTemplate: { image: 'alpine' } }), expect: 'accepted' },
  { type: 'TaskSpec', field: 'sidecars', doc: task({ sidecars: [{ name: 'db', image: 'redis' }] }), expect: 'known' },
  { type: 'TaskSpec', field: 'workspaces', doc: task(ws), expect: 'accepted' },
  {
    type: 'TaskSpec',
    field: 'workspaces',
    title: 'duplicate names',
    doc: task({ workspaces: [{ name: 'src' }, { name: 'src', mountPath: '/src' }] }),
    expect: refused('spec.workspaces[1].name', /duplicate workspace name "src"/),
    upstream: 'workspace name "src" must be unique',
  },
  { type: 'TaskSpec', field: 'results', doc: task({ results: [{ name: 'digest' }] }), expect: 'accepted' },

  // WorkspaceDeclaration
  ...(['name', 'description', 'mountPath', 'readOnly', 'optional'] as const).map((field): FieldCase => ({
    type: 'WorkspaceDeclaration',
    field,
    doc: task({
      workspaces: [{ name: 'src', description: 'sources', mountPath: '/src', readOnly: true, optional: true }],
    }),
    expect: 'accepted',
  })),
  {
    type: 'WorkspaceDeclaration',
    field: 'mountPath',
    title: 'one inside another',
    doc: task({
      workspaces: [
        { name: 'a', mountPath: '/w' },
        { name: 'b', mountPath: '/w/b' },
      ],
    }),
    expect: refused('spec.workspaces[1].mountPath', /lies inside workspace "a"/),
  },

  // WorkspaceUsage
  {
    type: 'WorkspaceUsage',
    field: 'name',
    doc: taskWithStep({ workspaces: [{ name: 'src' }] }, ws),
    expect: 'accepted',
  },
  {
    type: 'WorkspaceUsage',
    field: 'mountPath',
    doc: taskWithStep({ workspaces: [{ name: 'src', mountPath: '/mnt/src' }] }, ws),
    expect: 'accepted',
  },
  {
    type: 'WorkspaceUsage',
    field: 'mountPath',
    title: 'spelt mountpath, as upstream’s own isolated-workspaces example (Go matches keys in any case)',
    doc: taskWithStep({ workspaces: [{ name: 'src', mountpath: '/creds' }] }, ws),
    expect: 'accepted',
  },
  {
    type: 'WorkspaceUsage',
    field: 'mountPath',
    title: 'relative',
    doc: taskWithStep({ workspaces: [{ name: 'src', mountPath: 'src' }] }, ws),
    expect: refused('spec.steps[0].workspaces[0].mountPath', /relative/),
  },

  // ParamSpec
  ...(['name', 'type', 'description', 'default', 'enum'] as const).map((field): FieldCase => ({
    type: 'ParamSpec',
    field,
    doc: task({
      params: [{ name: 'mode', type: 'string', description: 'how', default: 'fast', enum: ['fast', 'slow'] }],
    }),
    expect: 'accepted',
  })),
  {
    type: 'ParamSpec',
    field: 'properties',
    doc: task({ params: [{ name: 'img', type: 'object', properties: { url: { type: 'string' } } }] }),
    expect: 'accepted',
  },
  {
    type: 'ParamSpec',
    field: 'default',
    title: 'of another type',
    doc: task({ params: [{ name: 'xs', type: 'array', default: 'one' }] }),
    expect: refused('spec.params[0].default', /default is a string but the param type is array/),
    upstream: '"array" type does not match default value\'s type: "string"',
  },
  {
    type: 'ParamSpec',
    field: 'enum',
    title: 'default not in it',
    doc: task({ params: [{ name: 'mode', default: 'medium', enum: ['fast', 'slow'] }] }),
    expect: refused('spec.params[0].default', /not one of the enum values/),
    upstream: 'param default value medium not in the enum list',
  },

  // TaskResult
  ...(['name', 'type', 'description'] as const).map((field): FieldCase => ({
    type: 'TaskResult',
    field,
    doc: task({ results: [{ name: 'digest', type: 'string', description: 'image digest' }] }),
    expect: 'accepted',
  })),
  {
    type: 'TaskResult',
    field: 'properties',
    doc: task({ results: [{ name: 'img', type: 'object', properties: { url: { type: 'string' } } }] }),
    expect: 'accepted',
  },
  {
    type: 'TaskResult',
    field: 'value',
    doc: taskWithStep(
      { results: [{ name: 'out' }] },
      { results: [{ name: 'r', value: '$(steps.build.results.out)' }] },
    ),
    expect: 'accepted',
  },

  // StepResult
  ...(['name', 'type', 'description'] as const).map((field): FieldCase => ({
    type: 'StepResult',
    field,
    doc: taskWithStep({ results: [{ name: 'out', type: 'string', description: 'the output' }] }),
    expect: 'accepted',
  })),
  {
    type: 'StepResult',
    field: 'properties',
    doc: taskWithStep({ results: [{ name: 'o', type: 'object', properties: { k: { type: 'string' } } }] }),
    expect: 'accepted',
  },
];
