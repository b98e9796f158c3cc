import { type FieldCase, type GoFields, refused } from './cases';
import { pipeline, pipelineTask } from './documents';

export const pipelineGoFields: GoFields = {
  PipelineSpec: ['displayName', 'description', 'tasks', 'params', 'workspaces', 'results', 'finally'],
  PipelineResult: ['name', 'type', 'description', 'value'],
  WhenExpression: ['input', 'operator', 'values', 'cel'],
  Matrix: ['params', 'include'],
  IncludeParams: ['name', 'params'],
  Param: ['name', 'value'],
  PipelineWorkspaceDeclaration: ['name', 'description', 'optional'],
  WorkspacePipelineTaskBinding: ['name', 'workspace', 'subPath'],
};

const when = (w: Record<string, unknown>) => pipelineTask({ when: [w] });
const shared = { workspaces: [{ name: 'shared' }] };

export const pipelineCases: FieldCase[] = [
  // PipelineSpec
  { type: 'PipelineSpec', field: 'displayName', doc: pipeline({ displayName: 'CI' }), expect: 'accepted' },
  {
    type: 'PipelineSpec',
    field: 'description',
    doc: pipeline({ description: 'Builds and tests' }),
    expect: 'accepted',
  },
  { type: 'PipelineSpec', field: 'tasks', doc: pipeline({}), expect: 'accepted' },
  {
    type: 'PipelineSpec',
    field: 'tasks',
    title: 'duplicate names',
    doc: pipeline({
      tasks: [
        { name: 'a', taskRef: { name: 't' } },
        { name: 'a', taskRef: { name: 't' } },
      ],
    }),
    expect: refused('spec.tasks[1].name', /duplicate task name "a"/),
    upstream: 'expected exactly one, got both: tasks[1].name',
  },
  {
    type: 'PipelineSpec',
    field: 'params',
    doc: pipeline({ params: [{ name: 'rev', default: 'main' }] }),
    expect: 'accepted',
  },
  { type: 'PipelineSpec', field: 'workspaces', doc: pipeline(shared), expect: 'accepted' },
  {
    type: 'PipelineSpec',
    field: 'results',
    doc: pipeline({ results: [{ name: 'r', value: '$(tasks.a.results.out)' }] }),
    expect: 'accepted',
  },
  {
    type: 'PipelineSpec',
    field: 'finally',
    doc: pipeline({ finally: [{ name: 'notify', taskRef: { name: 't' } }] }),
    expect: 'accepted',
  },

  {
    type: 'PipelineSpec',
    field: 'metadata',
    title: 'not a field of PipelineSpec',
    doc: pipeline({ metadata: { labels: { a: 'b' } } }),
    expect: refused('spec.metadata', /no metadata in Tekton .* on an embedded taskSpec's metadata/),
    upstream: 'json: unknown field "metadata"',
  },

  // PipelineResult
  ...(['name', 'type', 'description', 'value'] as const).map((field): FieldCase => ({
    type: 'PipelineResult',
    field,
    doc: pipeline({ results: [{ name: 'r', type: 'string', description: 'd', value: '$(tasks.a.results.out)' }] }),
    expect: 'accepted',
  })),

  // WhenExpression
  ...(['input', 'operator', 'values'] as const).map((field): FieldCase => ({
    type: 'WhenExpression',
    field,
    doc: when({ input: '$(params.rev)', operator: 'notin', values: ['main'] }),
    expect: 'accepted',
  })),
  {
    type: 'WhenExpression',
    field: 'operator',
    title: 'unknown operator',
    doc: when({ input: 'a', operator: 'exists', values: ['a'] }),
    expect: refused('spec.tasks[0].when[0].operator', /in|notin/),
    upstream: 'invalid value: operator "exists" is not recognized. valid operators: in,notin',
  },
  {
    type: 'WhenExpression',
    field: 'values',
    title: 'empty',
    doc: when({ input: 'a', operator: 'in', values: [] }),
    expect: refused('spec.tasks[0].when[0].values', /at least one value/),
    upstream: 'invalid value: expecting non-empty values field',
  },
  {
    type: 'WhenExpression',
    field: 'cel',
    doc: when({ cel: "'$(params.rev)' == 'main'" }),
    expect: refused('spec.tasks[0].when[0].cel', /CEL in when expressions is not supported/),
    upstream:
      'feature flag enable-cel-in-whenexpression should be set to true to use CEL (off by default upstream too)',
  },

  // Matrix and IncludeParams
  {
    type: 'Matrix',
    field: 'params',
    doc: pipelineTask({ matrix: { params: [{ name: 'os', value: ['linux'] }] } }),
    expect: 'accepted',
  },
  {
    type: 'Matrix',
    field: 'params',
    title: 'duplicate names',
    doc: pipelineTask({
      matrix: {
        params: [
          { name: 'os', value: ['linux'] },
          { name: 'os', value: ['darwin'] },
        ],
      },
    }),
    expect: refused('spec.tasks[0].matrix.params[1].name', /duplicate matrix param name "os"/),
    upstream: 'parameter names must be unique, the parameter "os" is also defined at: matrix.params[1].name',
  },
  ...(['include', 'name'] as const).map((field): FieldCase => ({
    type: field === 'include' ? 'Matrix' : 'IncludeParams',
    field,
    doc: pipelineTask({ matrix: { include: [{ name: 'arm', params: [{ name: 'arch', value: 'arm64' }] }] } }),
    expect: 'accepted',
  })),
  {
    type: 'IncludeParams',
    field: 'params',
    doc: pipelineTask({ matrix: { include: [{ params: [{ name: 'arch', value: 'arm64' }] }] } }),
    expect: 'accepted',
  },

  // Param
  ...(['name', 'value'] as const).map((field): FieldCase => ({
    type: 'Param',
    field,
    doc: pipelineTask({
      params: [
        { name: 'flags', value: ['-v', '-x'] },
        { name: 'cfg', value: { a: 'b' } },
      ],
    }),
    expect: 'accepted',
  })),
  {
    type: 'Param',
    field: 'name',
    title: 'duplicate',
    doc: pipelineTask({
      params: [
        { name: 'x', value: '1' },
        { name: 'x', value: '2' },
      ],
    }),
    expect: refused('spec.tasks[0].params[1].name', /duplicate param name "x"/),
    upstream: 'parameter names must be unique, the parameter "x" is also defined at: params[1].name',
  },

  // PipelineWorkspaceDeclaration and WorkspacePipelineTaskBinding
  ...(['name', 'description', 'optional'] as const).map((field): FieldCase => ({
    type: 'PipelineWorkspaceDeclaration',
    field,
    doc: pipeline({ workspaces: [{ name: 'shared', description: 'sources', optional: true }] }),
    expect: 'accepted',
  })),
  ...(['name', 'workspace', 'subPath'] as const).map((field): FieldCase => ({
    type: 'WorkspacePipelineTaskBinding',
    field,
    doc: pipelineTask({ workspaces: [{ name: 'src', workspace: 'shared', subPath: 'repo' }] }, shared),
    expect: 'accepted',
  })),
  {
    type: 'WorkspacePipelineTaskBinding',
    field: 'subPath',
    title: 'leaving the workspace',
    doc: pipelineTask({ workspaces: [{ name: 'src', workspace: 'shared', subPath: '../etc' }] }, shared),
    expect: refused('spec.tasks[0].workspaces[0].subPath', /contains ".."/),
  },
];
