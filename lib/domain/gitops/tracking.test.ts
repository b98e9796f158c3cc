import { describe, expect, it } from 'vitest';
import type { KubeObject } from './k8s-object';
import {
  formatTrackingId,
  MANAGED_LABEL,
  parseTrackingId,
  TRACKING_ANNOTATION,
  trackedBy,
  withTracking,
} from './tracking';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' }, annotations: { note: 'x' } },
};

describe('tracking', () => {
  it('writes Argo CD annotation-tracking format under keelson.dev and the managed label', () => {
    const tracked = withTracking(deployment, 'shop');
    expect(tracked.metadata.annotations).toEqual({ note: 'x', [TRACKING_ANNOTATION]: 'shop:apps/Deployment:demo/web' });
    expect(tracked.metadata.labels).toEqual({ app: 'web', [MANAGED_LABEL]: 'true' });
    expect(deployment.metadata.annotations).toEqual({ note: 'x' });
  });

  it('formats core-group and cluster-scoped objects with empty segments', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo' } };
    expect(withTracking(ns, 'shop').metadata.annotations?.[TRACKING_ANNOTATION]).toBe('shop:/Namespace:/demo');
    expect(trackedBy(withTracking(ns, 'shop'))).toBe('shop');
  });

  it('round-trips a tracking id and rejects malformed ones', () => {
    const id = { app: 'shop', group: 'apps', kind: 'Deployment', namespace: 'demo', name: 'web' };
    expect(parseTrackingId(formatTrackingId(id))).toEqual(id);
    expect(parseTrackingId('shop')).toBeUndefined();
    expect(parseTrackingId('shop:apps/Deployment/demo/web')).toBeUndefined();
  });

  it('reads the owning app back', () => {
    expect(trackedBy(withTracking(deployment, 'shop'))).toBe('shop');
    expect(trackedBy(deployment)).toBeUndefined();
  });

  it('ignores a tracking id copied onto another object (a ReplicaSet inherits its Deployment annotations)', () => {
    const tracked = withTracking(deployment, 'shop');
    const replicaSet: KubeObject = {
      ...tracked,
      kind: 'ReplicaSet',
      metadata: { ...tracked.metadata, name: 'web-7d9f' },
    };
    expect(trackedBy(replicaSet)).toBeUndefined();
  });

  it('does not treat the label alone as ownership', () => {
    const labelled = { ...deployment, metadata: { ...deployment.metadata, labels: { [MANAGED_LABEL]: 'true' } } };
    expect(trackedBy(labelled)).toBeUndefined();
  });
});
