import { describe, expect, it } from 'vitest';
import type { KubeObject } from './k8s-object';
import { ignorePointersFor, normalizeObject, parsePointer, projectOnto } from './normalize';

const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'demo',
    uid: 'u',
    resourceVersion: '1',
    generation: 3,
    creationTimestamp: '2026-01-01T00:00:00Z',
    managedFields: [{ manager: 'keelson' }],
    selfLink: '/apis/apps/v1/x',
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: {
    replicas: 2,
    template: {
      spec: {
        containers: [
          { name: 'a', image: 'x:1' },
          { name: 'b', image: 'y:1' },
        ],
      },
    },
  },
  status: { replicas: 2 },
};

describe('normalizeObject', () => {
  it('drops status, server-owned metadata and the last-applied annotation, and leaves no empty map', () => {
    expect(normalizeObject(deployment)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'demo' },
      spec: deployment.spec,
    });
  });

  it('does not modify its input', () => {
    normalizeObject(deployment, ['/spec/replicas']);
    expect(deployment.status).toEqual({ replicas: 2 });
    expect((deployment.spec as { replicas: number }).replicas).toBe(2);
  });

  it('removes ignored JSON pointers, with * matching every list item', () => {
    const out = normalizeObject(deployment, [
      '/spec/replicas',
      '/spec/template/spec/containers/*/image',
      '/no/such/path',
    ]);
    expect(out.spec).toEqual({ template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } });
  });

  it('removes one list item by index', () => {
    const out = normalizeObject(deployment, ['/spec/template/spec/containers/0']);
    expect(out.spec).toMatchObject({ template: { spec: { containers: [{ name: 'b', image: 'y:1' }] } } });
  });

  it('unescapes ~1 and ~0 in pointers', () => {
    expect(parsePointer('/metadata/annotations/example.com~1a~0b')).toEqual([
      'metadata',
      'annotations',
      'example.com/a~b',
    ]);
    expect(() => parsePointer('spec')).toThrow(/must start with/);
  });
});

it('selects ignore rules by kind, group, name and namespace', () => {
  const rules = [
    { kind: 'Deployment', group: 'apps', jsonPointers: ['/spec/replicas'] },
    { kind: 'Deployment', name: 'other', jsonPointers: ['/spec/x'] },
    { kind: 'Deployment', group: 'example.com', jsonPointers: ['/spec/y'] },
    { kind: 'Service', jsonPointers: ['/spec/z'] },
  ];
  expect(ignorePointersFor(rules, deployment)).toEqual(['/spec/replicas']);
});

describe('projectOnto', () => {
  it('keeps only the fields desired sets, so server defaults do not count', () => {
    const desired = { spec: { replicas: 2, ports: [{ port: 80 }] } };
    const live = {
      spec: { replicas: 2, revisionHistoryLimit: 10, ports: [{ port: 80, protocol: 'TCP' }] },
      status: {},
    };
    expect(projectOnto(desired, live)).toEqual(desired);
  });

  it('keeps live values and extra list items, so drift shows', () => {
    const desired = { spec: { replicas: 2, args: ['a'] } };
    const live = { spec: { replicas: 5, args: ['a', 'b'] } };
    expect(projectOnto(desired, live)).toEqual({ spec: { replicas: 5, args: ['a', 'b'] } });
  });
});
