import { describe, expect, it } from 'vitest';
import type { KubeObject } from './k8s-object';
import { ownedFieldTries, withoutOwnedFields } from './managed-fields';

const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    labels: { app: 'web', team: 'a' },
    managedFields: [
      {
        manager: 'argocd-controller',
        operation: 'Apply',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:template': {
              'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:name': {}, 'f:image': {} } } },
            },
          },
        },
      },
      {
        manager: 'kube-controller-manager',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:spec': { 'f:replicas': {} } },
      },
      {
        manager: 'sidecar-injector',
        operation: 'Update',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:team': {} } },
          'f:spec': {
            'f:template': {
              'f:spec': {
                'f:containers': { 'k:{"name":"proxy"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
                'f:volumes': { 'i:0': {} },
                'f:tolerations': { 'v:"x"': {} },
              },
            },
          },
        },
      },
    ],
  },
  spec: {
    replicas: 5,
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'web:1' },
          { name: 'proxy', image: 'proxy:9' },
        ],
        volumes: [{ name: 'v0' }, { name: 'v1' }],
        tolerations: ['x', 'y'],
      },
    },
  },
} as unknown as KubeObject;

describe('managedFieldsManagers', () => {
  it('picks the tries of the named managers only', () => {
    expect(ownedFieldTries(live, ['kube-controller-manager'])).toEqual([{ 'f:spec': { 'f:replicas': {} } }]);
    expect(ownedFieldTries(live, [])).toEqual([]);
    expect(ownedFieldTries(undefined, ['x'])).toEqual([]);
  });

  it('removes owned fields, list elements by key, by index and by value, and leaves the rest', () => {
    const out = withoutOwnedFields(
      live,
      ownedFieldTries(live, ['kube-controller-manager', 'sidecar-injector']),
    ) as unknown as {
      metadata: { labels: Record<string, string> };
      spec: {
        replicas?: number;
        template: { spec: { containers: { name: string }[]; volumes: { name: string }[]; tolerations: string[] } };
      };
    };
    expect(out.spec.replicas).toBeUndefined();
    expect(out.metadata.labels).toEqual({ app: 'web' });
    expect(out.spec.template.spec.containers).toEqual([{ name: 'web', image: 'web:1' }]);
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'v1' }]);
    expect(out.spec.template.spec.tolerations).toEqual(['y']);
  });

  it('does not change its input, and applies to a desired object that lacks some of the fields', () => {
    const desired = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } },
    } as unknown as KubeObject;
    const out = withoutOwnedFields(desired, ownedFieldTries(live, ['kube-controller-manager', 'sidecar-injector']));
    expect(out).toEqual(desired);
    expect((live as unknown as { spec: { replicas: number } }).spec.replicas).toBe(5);
  });
});
