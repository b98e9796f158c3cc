import { describe, expect, it } from 'vitest';
import {
  annotationList,
  groupOf,
  isClusterScoped,
  parseKubeObject,
  parseResourceKey,
  resourceKey,
  withDefaultNamespace,
  type KubeObject,
} from './k8s-object';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe('parseKubeObject', () => {
  it('keeps unknown fields and types the ones the engine reads', () => {
    const parsed = parseKubeObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', generation: 2 },
      data: { x: '1' },
      extra: true,
    });
    expect(parsed.ok && parsed.obj.extra).toBe(true);
    expect(parsed.ok && parsed.obj.metadata.generation).toBe(2);
  });

  it.each([
    [{ kind: 'ConfigMap', metadata: {} }, /apiVersion/],
    [{ apiVersion: 'v1', kind: 'ConfigMap' }, /metadata/],
    [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { a: 1 } } }, /metadata\.labels\.a/],
  ])('rejects %j with the path of the bad field', (value, message) => {
    const parsed = parseKubeObject(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });
});

describe('resource keys', () => {
  const groups = { v1: '', 'apps/v1': 'apps', 'networking.k8s.io/v1': 'networking.k8s.io' };
  it.each(Object.entries(groups))('group of %s is %j', (apiVersion, group) => {
    expect(groupOf(apiVersion)).toBe(group);
  });

  it('formats group/kind/namespace/name and parses it back', () => {
    expect(resourceKey(obj('apps/v1', 'Deployment', 'web', 'demo'))).toBe('apps/Deployment/demo/web');
    expect(resourceKey(obj('v1', 'Namespace', 'demo'))).toBe('/Namespace//demo');
    expect(parseResourceKey('apps/Deployment/demo/web')).toEqual({
      group: 'apps',
      kind: 'Deployment',
      namespace: 'demo',
      name: 'web',
    });
    expect(parseResourceKey('nonsense')).toBeUndefined();
  });
});

describe('namespaces', () => {
  it('fills in the destination namespace for namespaced kinds only', () => {
    expect(withDefaultNamespace(obj('v1', 'ConfigMap', 'a'), 'demo').metadata.namespace).toBe('demo');
    expect(withDefaultNamespace(obj('v1', 'ConfigMap', 'a', 'other'), 'demo').metadata.namespace).toBe('other');
    expect(
      withDefaultNamespace(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'), 'demo').metadata.namespace,
    ).toBeUndefined();
  });

  it('drops a namespace written on a cluster-scoped object so its key matches the live one', () => {
    const ns = withDefaultNamespace(obj('v1', 'Namespace', 'demo', 'demo'), 'demo');
    expect(resourceKey(ns)).toBe('/Namespace//demo');
  });

  it('asks discovery about custom resources', () => {
    const cr = obj('example.com/v1', 'Cluster', 'c');
    expect(isClusterScoped(cr)).toBe(false);
    expect(
      isClusterScoped(cr, (group, kind) => (group === 'example.com' && kind === 'Cluster' ? false : undefined)),
    ).toBe(true);
  });
});

it('splits comma-separated annotations', () => {
  const o = {
    ...obj('v1', 'ConfigMap', 'a'),
    metadata: { name: 'a', annotations: { k: ' Prune=false, ,PruneLast=true' } },
  };
  expect(annotationList(o, 'k')).toEqual(['Prune=false', 'PruneLast=true']);
  expect(annotationList(o, 'missing')).toEqual([]);
});
