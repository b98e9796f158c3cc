import { type FieldCase, type GoFields, refused } from './cases';
import { stepAction, task } from './documents';

export const sidecarStepActionGoFields: GoFields = {
  Sidecar: [
    'name',
    'image',
    'command',
    'args',
    'workingDir',
    'ports',
    'envFrom',
    'env',
    'computeResources',
    'volumeMounts',
    'volumeDevices',
    'livenessProbe',
    'readinessProbe',
    'startupProbe',
    'lifecycle',
    'terminationMessagePath',
    'terminationMessagePolicy',
    'imagePullPolicy',
    'securityContext',
    'stdin',
    'stdinOnce',
    'tty',
    'script',
    'workspaces',
    'restartPolicy',
  ],
  StepActionSpec: [
    'description',
    'image',
    'command',
    'args',
    'env',
    'script',
    'workingDir',
    'params',
    'results',
    'securityContext',
    'volumeMounts',
  ],
};

const sidecar = (field: string, value: unknown): FieldCase => ({
  type: 'Sidecar',
  field,
  doc: task({ sidecars: [{ name: 'db', image: 'redis', [field]: value }] }),
  expect: 'known',
});

export const sidecarStepActionCases: FieldCase[] = [
  // Sidecar (the local executor's part of issue 13 decides what a sidecar does; here: its fields are known)
  sidecar('name', 'db'),
  sidecar('image', 'redis'),
  sidecar('command', ['redis-server']),
  sidecar('args', ['--port', '6380']),
  sidecar('workingDir', '/data'),
  sidecar('ports', [{ containerPort: 6379 }]),
  sidecar('envFrom', []),
  sidecar('env', [{ name: 'A', value: 'b' }]),
  sidecar('computeResources', {}),
  sidecar('volumeMounts', []),
  sidecar('volumeDevices', []),
  sidecar('livenessProbe', { exec: { command: ['true'] } }),
  sidecar('readinessProbe', { tcpSocket: { port: 6379 } }),
  sidecar('startupProbe', { exec: { command: ['true'] } }),
  sidecar('lifecycle', {}),
  sidecar('terminationMessagePath', '/dev/termination-log'),
  sidecar('terminationMessagePolicy', 'File'),
  sidecar('imagePullPolicy', 'IfNotPresent'),
  sidecar('securityContext', {}),
  sidecar('stdin', false),
  sidecar('stdinOnce', false),
  sidecar('tty', false),
  sidecar('script', 'redis-server'),
  sidecar('workspaces', []),
  sidecar('restartPolicy', 'Always'),

  // StepActionSpec, in both API versions upstream serves
  ...(
    [
      ['description', 'Clones a repository'],
      ['image', 'alpine/git'],
      ['args', ['clone']],
      ['env', [{ name: 'A', value: 'b' }]],
      ['script', 'git clone "$URL"'],
      ['workingDir', '/workspace'],
      ['params', [{ name: 'url' }]],
      ['results', [{ name: 'commit' }]],
      ['securityContext', { runAsUser: 0 }],
    ] as const
  ).flatMap(([field, value]): FieldCase[] =>
    ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1'].map((apiVersion) => ({
      type: 'StepActionSpec',
      field,
      title: apiVersion,
      doc: stepAction({ [field]: value }, apiVersion),
      expect: 'accepted',
    })),
  ),
  {
    type: 'StepActionSpec',
    field: 'command',
    doc: stepAction({ command: ['git'], args: ['version'] }),
    expect: 'accepted',
  },
  {
    type: 'StepActionSpec',
    field: 'command',
    title: 'with script',
    doc: stepAction({ command: ['git'], script: 'git version' }),
    expect: refused('spec.script', /script or command, not both/),
    upstream: 'script cannot be used with command: script',
  },
  { type: 'StepActionSpec', field: 'volumeMounts', doc: stepAction({ volumeMounts: [] }), expect: 'known' },
];
