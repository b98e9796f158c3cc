import { describe, expect, it } from 'vitest';
import type { KubeObject } from './k8s-object';
import { isIgnorableUpdate } from './resource-updates';

const deployment = (over: { rv: string; generation?: number; image?: string; status?: object }): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'demo',
    resourceVersion: over.rv,
    generation: over.generation ?? 1,
    annotations: { 'argocd.argoproj.io/tracking-id': 'web:apps/Deployment:demo/web' },
    managedFields: [{ manager: over.rv }],
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { spec: { containers: [{ name: 'main', image: over.image ?? 'web:1' }] } },
  },
  status: over.status ?? {},
});

const progressing = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 };
const progressingMore = { ...progressing, conditions: [{ type: 'Progressing', status: 'True' }] };
const healthy = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };

describe('isIgnorableUpdate', () => {
  it('ignores a status update that keeps the health status (a rollout step)', () => {
    expect(
      isIgnorableUpdate(deployment({ rv: '1', status: progressing }), deployment({ rv: '2', status: progressingMore })),
    ).toBe(true);
  });

  it('refreshes when the health status turns (Progressing → Healthy)', () => {
    expect(
      isIgnorableUpdate(deployment({ rv: '1', status: progressing }), deployment({ rv: '2', status: healthy })),
    ).toBe(false);
  });

  it('refreshes when the health message changes with the same status (a crashing pod backing off longer)', () => {
    const pod = (message: string, rv: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crasher', namespace: 'demo', resourceVersion: rv },
      spec: { containers: [{ name: 'main', image: 'x' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'main',
            ready: false,
            restartCount: 2,
            state: { waiting: { reason: 'CrashLoopBackOff', message } },
            lastState: { terminated: { exitCode: 1, reason: 'Error' } },
          },
        ],
      },
    });
    const first = pod('back-off 10s restarting failed container=main pod=crasher_demo', '1');
    const second = pod('back-off 20s restarting failed container=main pod=crasher_demo', '2');
    expect(isIgnorableUpdate(first, second)).toBe(false);
    expect(isIgnorableUpdate(first, { ...first, metadata: { ...first.metadata, resourceVersion: '3' } })).toBe(true);
  });

  it('refreshes when the spec or metadata changed (a drift to self-heal)', () => {
    const before = deployment({ rv: '1', status: healthy });
    expect(isIgnorableUpdate(before, deployment({ rv: '2', status: healthy, image: 'web:2', generation: 2 }))).toBe(
      false,
    );
    const labelled = deployment({ rv: '2', status: healthy });
    labelled.metadata.labels = { team: 'a' };
    expect(isIgnorableUpdate(before, labelled)).toBe(false);
  });

  it('refreshes on an object it had not seen before', () => {
    expect(isIgnorableUpdate(undefined, deployment({ rv: '1' }))).toBe(false);
  });
});
