import { describe, expect, it } from 'vitest';
import { ZStoredPlan } from './stored-schemas';
import type { TaskRunPlan } from './task-run-plan';

/** A plan as Keelson stored it before the Kubernetes fields existed (copied from a stored row). */
const storedBefore = {
  taskRunName: 'build-x7k2q-compile',
  steps: [
    {
      name: 'compile',
      image: 'golang:1.23',
      script: 'go build ./...',
      env: { GOFLAGS: '-mod=mod' },
      onError: 'stopAndFail',
      volumeMounts: [{ volume: 'cache', mountPath: '/cache', readOnly: false }],
    },
  ],
  workspaces: [
    { name: 'source', mountPath: '/workspace/source', hostPath: '/data/runs/x/workspaces/source', readOnly: false },
  ],
  resultNames: ['digest'],
  timeoutMs: 3600000,
  secretsToMask: [],
  volumes: [
    { name: 'cache', kind: 'emptyDir' },
    { name: 'p', kind: 'unsupported', source: 'persistentVolumeClaim' },
  ],
  sidecars: [{ name: 'db', image: 'postgres', command: ['postgres'] }],
  resultTypes: { digest: 'string' },
  images: { compile: 'golang:1.23' },
};

describe('stored plans', () => {
  it('parse when stored before the Kubernetes fields, with none of them set', () => {
    const plan = ZStoredPlan.parse(storedBefore);
    expect(plan.steps[0].computeResources).toBeUndefined();
    expect(plan.workspaces[0].source).toBeUndefined();
    expect(plan.volumes?.[1]).toEqual({ name: 'p', kind: 'unsupported', source: 'persistentVolumeClaim' });
    expect(plan.pod).toBeUndefined();
    expect(plan.labels).toBeUndefined();
  });

  it('keep every Kubernetes field through a round trip', () => {
    const plan: TaskRunPlan = {
      ...ZStoredPlan.parse(storedBefore),
      steps: [
        {
          name: 'compile',
          env: {},
          onError: 'stopAndFail',
          computeResources: { limits: { memory: '1Gi' }, requests: { cpu: '500m' } },
          securityContext: { runAsUser: 1000, capabilities: { drop: ['ALL'] } },
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      workspaces: [
        {
          name: 'a',
          mountPath: '/a',
          hostPath: '/h/a',
          readOnly: false,
          source: { kind: 'emptyDir', medium: 'Memory' },
        },
        {
          name: 'b',
          mountPath: '/b',
          hostPath: '/h/b/sub',
          readOnly: false,
          subPath: 'sub',
          source: { kind: 'volumeClaimTemplate', claimName: 'pvc-0123456789', template: { spec: {} } },
        },
        {
          name: 'c',
          mountPath: '/c',
          hostPath: '/h/c',
          readOnly: true,
          source: { kind: 'files', files: [{ path: 'k', secret: { secret: 's', key: 'k' } }] },
        },
        {
          name: 'd',
          mountPath: '/d',
          hostPath: '/h/d',
          readOnly: false,
          source: { kind: 'csi', csi: { driver: 'x' } },
        },
        {
          name: 'e',
          mountPath: '/e',
          hostPath: '/h/e',
          readOnly: false,
          source: { kind: 'persistentVolumeClaim', claimName: 'shared' },
        },
        {
          name: 'f',
          mountPath: '/f',
          hostPath: '/h/f',
          readOnly: true,
          source: {
            kind: 'projected',
            files: [{ path: 'v', value: '1' }],
            sources: [{ serviceAccountToken: { path: 'token' } }],
            defaultMode: 0o440,
          },
        },
      ],
      volumes: [{ name: 'p', kind: 'unsupported', source: 'csi', volumeSource: { csi: { driver: 'x' } } }],
      sidecars: [{ name: 'db', container: { name: 'db', image: 'postgres', ports: [{ containerPort: 5432 }] } }],
      pod: { serviceAccountName: 'builder', podTemplate: { nodeSelector: { disk: 'ssd' } } },
      labels: { 'tekton.dev/taskRun': 'build-x7k2q-compile' },
      annotations: { note: 'x' },
    };
    const again = ZStoredPlan.parse(JSON.parse(JSON.stringify(plan)));
    expect(again).toEqual(plan);
  });

  it('refuse an imagePullPolicy Kubernetes does not know and a workspace source of an unknown kind', () => {
    const step = { ...storedBefore.steps[0], imagePullPolicy: 'Sometimes' };
    expect(ZStoredPlan.safeParse({ ...storedBefore, steps: [step] }).error?.issues[0].path).toEqual([
      'steps',
      0,
      'imagePullPolicy',
    ]);
    const ws = { ...storedBefore.workspaces[0], source: { kind: 'nfs' } };
    expect(ZStoredPlan.safeParse({ ...storedBefore, workspaces: [ws] }).success).toBe(false);
  });
});
