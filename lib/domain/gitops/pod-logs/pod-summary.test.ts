import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { pickContainer, pickPod } from './pick';
import { DEFAULT_CONTAINER_ANNOTATION, matchLabelsSelector, newestFirst, podSummary } from './pod-summary';

const pod = (name: string, extra: { created?: string; annotations?: Record<string, string>; status?: unknown } = {}) =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'web',
      creationTimestamp: extra.created ?? '2026-12-04T10:00:00Z',
      annotations: extra.annotations,
    },
    spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }, { name: 'sidecar' }] },
    status: extra.status,
  }) as KubeObject;

describe('podSummary', () => {
  it('lists init containers first with their states, restarts and reasons, and the Ready condition', () => {
    const p = pod('web-1', {
      status: {
        phase: 'Running',
        startTime: '2026-12-04T10:00:01Z',
        conditions: [{ type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'setup', restartCount: 0, state: { terminated: { reason: 'Completed' } } }],
        containerStatuses: [
          { name: 'app', restartCount: 3, state: { running: { startedAt: 'x' } } },
          { name: 'sidecar', restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      },
    });
    expect(podSummary(p)).toEqual({
      name: 'web-1',
      namespace: 'web',
      phase: 'Running',
      ready: true,
      startedAt: '2026-12-04T10:00:01Z',
      defaultContainer: 'app',
      containers: [
        { name: 'setup', init: true, restartCount: 0, state: 'terminated', reason: 'Completed' },
        { name: 'app', init: false, restartCount: 3, state: 'running' },
        { name: 'sidecar', init: false, restartCount: 1, state: 'waiting', reason: 'CrashLoopBackOff' },
      ],
    });
  });

  it('gives a pod without status Unknown, not ready, with waiting containers', () => {
    const s = podSummary(pod('new'));
    expect(s).toMatchObject({ phase: 'Unknown', ready: false, startedAt: null });
    expect(s.containers.map((c) => c.state)).toEqual(['waiting', 'waiting', 'waiting']);
  });

  it('honours kubectl.kubernetes.io/default-container when it names a container of the pod', () => {
    expect(podSummary(pod('a', { annotations: { [DEFAULT_CONTAINER_ANNOTATION]: 'sidecar' } })).defaultContainer).toBe(
      'sidecar',
    );
    expect(podSummary(pod('b', { annotations: { [DEFAULT_CONTAINER_ANNOTATION]: 'gone' } })).defaultContainer).toBe(
      'app',
    );
  });
});

describe('choosing the pod and the container', () => {
  const older = pod('web-old', { created: '2026-12-04T09:00:00Z' });
  const newer = pod('web-new', { created: '2026-12-04T11:00:00Z' });
  const sorted = [older, newer].sort(newestFirst);

  it('orders pods newest first and picks the first when none is named', () => {
    expect(sorted.map((p) => p.metadata.name)).toEqual(['web-new', 'web-old']);
    expect(pickPod(sorted, undefined, 'Deployment web/web')).toEqual({ ok: true, value: newer });
  });

  it('picks the named pod only when it is one of the resource’s pods', () => {
    expect(pickPod(sorted, 'web-old', 'Deployment web/web')).toEqual({ ok: true, value: older });
    expect(pickPod(sorted, 'other-app-pod', 'Deployment web/web')).toEqual({
      ok: false,
      message: 'Pod other-app-pod is not one of the pods of Deployment web/web (web-new, web-old).',
    });
    expect(pickPod([], undefined, 'Job web/migrate')).toEqual({
      ok: false,
      message: 'Job web/migrate has no pods now.',
    });
  });

  it('picks the default container, or a named one including init containers, and refuses others', () => {
    expect(pickContainer(newer, undefined)).toEqual({ ok: true, value: 'app' });
    expect(pickContainer(newer, 'setup')).toEqual({ ok: true, value: 'setup' });
    expect(pickContainer(newer, 'nope')).toEqual({
      ok: false,
      message: 'Pod web-new has no container "nope": use one of setup, app, sidecar.',
    });
  });

  it("narrows pod lists by the workload's matchLabels", () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } } as KubeObject;
    expect(matchLabelsSelector({ ...d, spec: { selector: { matchLabels: { app: 'web', tier: 'fe' } } } })).toBe(
      'app=web,tier=fe',
    );
    expect(matchLabelsSelector({ ...d, spec: { selector: { matchExpressions: [] } } })).toBeUndefined();
    expect(matchLabelsSelector(d)).toBeUndefined();
  });
});
