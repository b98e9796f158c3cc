import { type FieldCase, type GoFields, refused } from './cases';
import { embeddedTask, pipeline, pipelineTask, STEP } from './documents';

export const pipelineTaskGoFields: GoFields = {
  PipelineTask: [
    'name',
    'displayName',
    'description',
    'taskRef',
    'taskSpec',
    'when',
    'retries',
    'runAfter',
    'params',
    'matrix',
    'workspaces',
    'timeout',
    'pipelineRef',
    'pipelineSpec',
    'onError',
  ],
  EmbeddedTask: ['apiVersion', 'kind', 'spec', 'metadata'],
  PipelineTaskMetadata: ['labels', 'annotations'],
  TaskRef: ['name', 'kind', 'apiVersion', 'resolver', 'params'],
};

const ptask = (field: string, value: unknown, title?: string): FieldCase => ({
  type: 'PipelineTask',
  field,
  title,
  doc: pipelineTask({ [field]: value }),
  expect: 'accepted',
});
const shared = { workspaces: [{ name: 'shared' }] };

export const pipelineTaskCases: FieldCase[] = [
  // PipelineTask
  ptask('name', 'a'),
  {
    type: 'PipelineTask',
    field: 'name',
    title: 'not a DNS label',
    doc: pipeline({ tasks: [{ name: 'Build_It', taskRef: { name: 't' } }] }),
    expect: refused('spec.tasks[0].name', /lowercase letters, digits and "-"/),
    upstream: 'invalid value "Build_It": tasks[0].name: Pipeline Task name must be a valid DNS Label',
  },
  ptask('displayName', 'Build $(params.rev)'),
  ptask('description', 'Builds the image'),
  ptask('taskRef', { name: 't' }),
  { type: 'PipelineTask', field: 'taskSpec', doc: embeddedTask({}), expect: 'accepted' },
  {
    type: 'PipelineTask',
    field: 'taskSpec',
    title: 'with taskRef',
    doc: pipeline({ tasks: [{ name: 'a', taskRef: { name: 't' }, taskSpec: { steps: [STEP] } }] }),
    expect: refused('spec.tasks[0].taskRef', /exactly one/),
    upstream: 'expected exactly one, got multiple: tasks[0].taskRef, tasks[0].taskSpec',
  },
  ptask('when', [{ input: '$(params.rev)', operator: 'in', values: ['main'] }]),
  ptask('retries', 2),
  ptask('runAfter', []),
  ptask('params', [{ name: 'x', value: 'y' }]),
  ptask('matrix', { params: [{ name: 'os', value: ['linux', 'darwin'] }] }),
  {
    type: 'PipelineTask',
    field: 'workspaces',
    doc: pipelineTask({ workspaces: [{ name: 'src', workspace: 'shared' }] }, shared),
    expect: 'accepted',
  },
  ptask('timeout', '1h30m'),
  {
    type: 'PipelineTask',
    field: 'pipelineRef',
    doc: pipeline({ tasks: [{ name: 'a', pipelineRef: { name: 'child' } }] }),
    expect: 'known',
  },
  {
    type: 'PipelineTask',
    field: 'pipelineSpec',
    doc: pipeline({ tasks: [{ name: 'a', pipelineSpec: { tasks: [{ name: 'b', taskRef: { name: 't' } }] } }] }),
    expect: 'known',
  },
  ptask('onError', 'continue'),

  // EmbeddedTask
  {
    type: 'EmbeddedTask',
    field: 'metadata',
    doc: embeddedTask({ metadata: { labels: { team: 'build' }, annotations: { 'example.com/owner': 'ci' } } }),
    expect: 'accepted',
  },
  {
    type: 'EmbeddedTask',
    field: 'apiVersion',
    doc: embeddedTask({ apiVersion: 'example.dev/v1' }),
    expect: refused('spec.tasks[0].taskSpec.apiVersion', /custom task/),
    upstream: 'taskSpec.apiVersion cannot be specified when using taskSpec.steps',
  },
  {
    type: 'EmbeddedTask',
    field: 'kind',
    doc: embeddedTask({ kind: 'Example' }),
    expect: refused('spec.tasks[0].taskSpec.kind', /custom task/),
    upstream: 'taskSpec.kind cannot be specified when using taskSpec.steps',
  },
  {
    type: 'EmbeddedTask',
    field: 'spec',
    doc: embeddedTask({ spec: { anything: true } }),
    expect: refused('spec.tasks[0].taskSpec.spec', /custom task/),
  },

  // PipelineTaskMetadata
  {
    type: 'PipelineTaskMetadata',
    field: 'labels',
    doc: embeddedTask({ metadata: { labels: { tier: 'backend' } } }),
    expect: 'accepted',
  },
  {
    type: 'PipelineTaskMetadata',
    field: 'labels',
    title: 'a number as value',
    doc: embeddedTask({ metadata: { labels: { tier: 3 } } }),
    expect: refused('spec.tasks[0].taskSpec.metadata.labels.tier', /label values are strings/),
  },
  {
    type: 'PipelineTaskMetadata',
    field: 'annotations',
    doc: embeddedTask({ metadata: { annotations: { note: 'x' } } }),
    expect: 'accepted',
  },

  // TaskRef
  ptask('taskRef', { name: 't', kind: 'Task' }, 'kind Task'),
  { type: 'TaskRef', field: 'name', doc: pipelineTask({ taskRef: { name: 't' } }), expect: 'accepted' },
  { type: 'TaskRef', field: 'kind', doc: pipelineTask({ taskRef: { name: 't', kind: 'Task' } }), expect: 'accepted' },
  {
    type: 'TaskRef',
    field: 'kind',
    title: 'another case',
    doc: pipelineTask({ taskRef: { name: 't', kind: 'task' } }),
    expect: refused('spec.tasks[0].taskRef.kind', /case-sensitive.*write kind: Task/),
    upstream: 'invalid value: custom task ref must specify apiVersion: tasks[0].taskRef.apiVersion',
  },
  {
    type: 'TaskRef',
    field: 'kind',
    title: 'ClusterTask (gone from v1)',
    doc: pipelineTask({ taskRef: { name: 't', kind: 'ClusterTask' } }),
    expect: refused('spec.tasks[0].taskRef.kind', /custom task/),
    upstream: 'invalid value: custom task ref must specify apiVersion: tasks[0].taskRef.apiVersion',
  },
  {
    type: 'TaskRef',
    field: 'apiVersion',
    doc: pipelineTask({ taskRef: { name: 't', apiVersion: 'tekton.dev/v1' } }),
    expect: 'accepted',
  },
  {
    type: 'TaskRef',
    field: 'resolver',
    doc: pipelineTask({ taskRef: { resolver: 'git' } }),
    expect: refused('spec.tasks[0].taskRef.resolver', /keelson apply/),
  },
  {
    type: 'TaskRef',
    field: 'params',
    doc: pipelineTask({ taskRef: { name: 't', params: [{ name: 'url', value: 'u' }] } }),
    expect: refused('spec.tasks[0].taskRef.params', /resolver params are not supported/),
  },
];
