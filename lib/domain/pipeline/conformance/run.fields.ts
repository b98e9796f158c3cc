import { type FieldCase, type GoFields, refused } from './cases';
import { pipelineRun, STEP, taskRun } from './documents';

export const runGoFields: GoFields = {
  PipelineRunSpec: [
    'pipelineRef',
    'pipelineSpec',
    'params',
    'status',
    'timeouts',
    'taskRunTemplate',
    'workspaces',
    'taskRunSpecs',
    'managedBy',
  ],
  PipelineRef: ['name', 'apiVersion', 'resolver', 'params'],
  TimeoutFields: ['pipeline', 'tasks', 'finally'],
  PipelineTaskRunTemplate: ['podTemplate', 'serviceAccountName'],
  PipelineTaskRunSpec: [
    'pipelineTaskName',
    'serviceAccountName',
    'podTemplate',
    'stepSpecs',
    'sidecarSpecs',
    'metadata',
    'computeResources',
    'timeout',
  ],
  TaskRunSpec: [
    'debug',
    'params',
    'serviceAccountName',
    'taskRef',
    'taskSpec',
    'status',
    'statusMessage',
    'retries',
    'timeout',
    'podTemplate',
    'workspaces',
    'stepSpecs',
    'sidecarSpecs',
    'computeResources',
    'managedBy',
  ],
  TaskRunDebug: ['breakpoints'],
  TaskBreakpoints: ['onFailure', 'beforeSteps'],
  TaskRunStepSpec: ['name', 'computeResources'],
};

const prSpec = (field: string, value: unknown, title?: string): FieldCase => ({
  type: 'PipelineRunSpec',
  field,
  title,
  doc: pipelineRun({ [field]: value }),
  expect: 'accepted',
});
const trSpec = (field: string, value: unknown, title?: string): FieldCase => ({
  type: 'TaskRunSpec',
  field,
  title,
  doc: taskRun({ [field]: value }),
  expect: 'accepted',
});
const taskRunSpec = (fields: Record<string, unknown>) =>
  pipelineRun({ taskRunSpecs: [{ pipelineTaskName: 'build', ...fields }] });
const resources = { requests: { cpu: '500m' }, limits: { memory: '1Gi' } };

export const runCases: FieldCase[] = [
  // PipelineRunSpec
  prSpec('pipelineRef', { name: 'p' }),
  {
    type: 'PipelineRunSpec',
    field: 'pipelineSpec',
    doc: pipelineRun({ pipelineRef: undefined, pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [STEP] } }] } }),
    expect: 'accepted',
  },
  {
    type: 'PipelineRunSpec',
    field: 'pipelineSpec',
    title: 'with pipelineRef',
    doc: pipelineRun({ pipelineSpec: { tasks: [{ name: 'a', taskSpec: { steps: [STEP] } }] } }),
    expect: refused('spec.pipelineRef', /exactly one of pipelineRef or pipelineSpec/),
    upstream: 'expected exactly one, got both: spec.pipelineRef, spec.pipelineSpec',
  },
  prSpec('params', [{ name: 'rev', value: 'main' }]),
  prSpec('status', 'PipelineRunPending'),
  {
    type: 'PipelineRunSpec',
    field: 'status',
    title: 'unknown',
    doc: pipelineRun({ status: 'Paused' }),
    expect: refused('spec.status', /Cancelled|PipelineRunPending/),
    upstream:
      'invalid value: Paused: spec.status (not one of Cancelled, CancelledRunFinally, StoppedRunFinally, PipelineRunPending)',
  },
  prSpec('timeouts', { pipeline: '1h', tasks: '50m', finally: '10m' }),
  prSpec('taskRunTemplate', { serviceAccountName: 'builder', podTemplate: { nodeSelector: { disk: 'ssd' } } }),
  prSpec('workspaces', [{ name: 'shared', emptyDir: {} }]),
  prSpec('taskRunSpecs', [{ pipelineTaskName: 'build', serviceAccountName: 'builder' }]),
  prSpec('managedBy', 'example.dev/dispatcher'),

  // PipelineRef
  ...(['name', 'apiVersion'] as const).map((field): FieldCase => ({
    type: 'PipelineRef',
    field,
    doc: pipelineRun({ pipelineRef: { name: 'p', apiVersion: 'tekton.dev/v1' } }),
    expect: 'accepted',
  })),
  {
    type: 'PipelineRef',
    field: 'resolver',
    doc: pipelineRun({ pipelineRef: { name: 'p', resolver: 'git' } }),
    expect: refused('spec.pipelineRef.resolver', /keelson apply/),
  },
  {
    type: 'PipelineRef',
    field: 'params',
    doc: pipelineRun({ pipelineRef: { name: 'p', params: [{ name: 'url', value: 'u' }] } }),
    expect: refused('spec.pipelineRef.params', /resolver params are not supported/),
  },

  // TimeoutFields
  ...(['pipeline', 'tasks', 'finally'] as const).map((field): FieldCase => ({
    type: 'TimeoutFields',
    field,
    doc: pipelineRun({ timeouts: { [field]: '30m' } }),
    expect: 'accepted',
  })),
  {
    type: 'TimeoutFields',
    field: 'pipeline',
    title: 'not a duration',
    doc: pipelineRun({ timeouts: { pipeline: 'an hour' } }),
    expect: refused('spec.timeouts.pipeline', /Go duration/),
  },

  // PipelineTaskRunTemplate
  ...(['podTemplate', 'serviceAccountName'] as const).map((field): FieldCase => ({
    type: 'PipelineTaskRunTemplate',
    field,
    doc: pipelineRun({
      taskRunTemplate: { podTemplate: { securityContext: { fsGroup: 1000 } }, serviceAccountName: 'sa' },
    }),
    expect: 'accepted',
  })),

  // PipelineTaskRunSpec
  ...(
    [
      ['pipelineTaskName', 'build'],
      ['serviceAccountName', 'builder'],
      ['podTemplate', { tolerations: [{ key: 'gpu', operator: 'Exists' }] }],
      ['stepSpecs', [{ name: 'compile', computeResources: resources }]],
      ['sidecarSpecs', [{ name: 'db', computeResources: resources }]],
      ['metadata', { labels: { tier: 'build' }, annotations: { note: 'x' } }],
      ['computeResources', resources],
      ['timeout', '20m'],
    ] as const
  ).map(([field, value]): FieldCase => ({
    type: 'PipelineTaskRunSpec',
    field,
    doc: taskRunSpec({ [field]: value }),
    expect: 'accepted',
  })),

  // TaskRunSpec
  trSpec('debug', { breakpoints: { onFailure: 'enabled', beforeSteps: ['compile'] } }),
  trSpec('params', [{ name: 'x', value: 'y' }]),
  trSpec('serviceAccountName', 'builder'),
  trSpec('taskRef', { name: 't', kind: 'Task' }),
  trSpec('taskRef', { name: 't', kind: 'task' }, 'any kind: upstream resolves a Task by name'),
  {
    type: 'TaskRunSpec',
    field: 'taskSpec',
    doc: taskRun({ taskRef: undefined, taskSpec: { steps: [STEP] } }),
    expect: 'accepted',
  },
  {
    type: 'TaskRunSpec',
    field: 'taskSpec',
    title: 'neither taskRef nor taskSpec',
    doc: taskRun({ taskRef: undefined }),
    expect: refused('spec.taskRef', /exactly one of taskRef or taskSpec/),
    upstream: 'expected exactly one, got neither: spec.taskRef, spec.taskSpec',
  },
  trSpec('status', 'TaskRunCancelled'),
  trSpec('statusMessage', 'cancelled by the user'),
  trSpec('retries', 0),
  {
    type: 'TaskRunSpec',
    field: 'retries',
    title: 'more than none',
    doc: taskRun({ retries: 2 }),
    expect: refused('spec.retries', /does not retry on Keelson yet/),
  },
  trSpec('timeout', '10m'),
  trSpec('podTemplate', { nodeSelector: { arch: 'arm64' } }),
  trSpec('workspaces', [{ name: 'w', emptyDir: {} }]),
  trSpec('stepSpecs', [{ name: 'build', computeResources: resources }]),
  trSpec('sidecarSpecs', [{ name: 'db', computeResources: resources }]),
  trSpec('computeResources', resources),
  trSpec('managedBy', 'example.dev/dispatcher'),

  // TaskRunDebug, TaskBreakpoints, TaskRunStepSpec
  {
    type: 'TaskRunDebug',
    field: 'breakpoints',
    doc: taskRun({ debug: { breakpoints: {} } }),
    expect: 'accepted',
  },
  ...(['onFailure', 'beforeSteps'] as const).map((field): FieldCase => ({
    type: 'TaskBreakpoints',
    field,
    doc: taskRun({ debug: { breakpoints: { onFailure: 'enabled', beforeSteps: ['build'] } } }),
    expect: 'accepted',
  })),
  {
    type: 'TaskBreakpoints',
    field: 'onFailure',
    title: 'not "enabled"',
    doc: taskRun({ debug: { breakpoints: { onFailure: 'true' } } }),
    expect: refused('spec.debug.breakpoints.onFailure', /enabled/),
    upstream: 'invalid value: onFailure breakpoint is set to true; only "enabled" is allowed',
  },
  ...(['name', 'computeResources'] as const).map((field): FieldCase => ({
    type: 'TaskRunStepSpec',
    field,
    doc: taskRun({ stepSpecs: [{ name: 'build', computeResources: resources }] }),
    expect: 'accepted',
  })),
];
