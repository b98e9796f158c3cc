import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../k8s-object';
import { withTracking } from '../tracking';
import { findOrphanedResources, isOrphanedWarn, orphanedWarningMessage } from './orphaned-resources';

const obj = (apiVersion: string, kind: string, name: string, namespace = 'shop', extra: object = {}): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace, ...extra },
});
const cm = (name: string, namespace = 'shop') => obj('v1', 'ConfigMap', name, namespace);
const names = (r: { kind: string; name: string }[]) => r.map((x) => `${x.kind}/${x.name}`);

const find = (
  live: KubeObject[],
  orphanedResources: Parameters<typeof findOrphanedResources>[0]['project']['orphanedResources'] = {},
  more: Partial<Parameters<typeof findOrphanedResources>[0]> = {},
) => findOrphanedResources({ project: { orphanedResources }, namespace: 'shop', live, managed: new Set(), ...more });

describe('findOrphanedResources', () => {
  it('finds nothing, and looks at nothing, when the project has no orphanedResources', () => {
    const live = [cm('stray')];
    expect(findOrphanedResources({ project: {}, namespace: 'shop', live, managed: new Set() })).toEqual([]);
  });

  it('lists untracked top-level objects of the destination namespace only, with group, kind, namespace, name', () => {
    const live = [
      cm('stray'),
      cm('elsewhere', 'other'),
      obj('apps/v1', 'Deployment', 'old'),
      obj('v1', 'Namespace', 'shop', ''),
    ];
    expect(find(live)).toEqual([
      { group: '', kind: 'ConfigMap', namespace: 'shop', name: 'stray' },
      { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'old' },
    ]);
  });

  it('leaves out what an application manages: tracked by this app or another, or among the desired keys', () => {
    const live = [
      withTracking(cm('mine'), 'shop'),
      withTracking(cm('theirs'), 'other-app'),
      cm('desired'),
      cm('stray'),
    ];
    const managed = new Set(['/ConfigMap/shop/desired']);
    expect(names(find(live, {}, { managed }))).toEqual(['ConfigMap/stray']);
  });

  it('leaves out objects owned by another (ownerReferences): ReplicaSets, Pods', () => {
    const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1' }] };
    const live = [obj('v1', 'Pod', 'web-1-abc', 'shop', owner), obj('v1', 'Pod', 'debug')];
    expect(names(find(live))).toEqual(['Pod/debug']);
  });

  it("leaves out Argo CD's known exclusions: default ServiceAccount, kube-root-ca.crt, default/kubernetes Service", () => {
    const live = [
      obj('v1', 'ServiceAccount', 'default'),
      cm('kube-root-ca.crt'),
      obj('v1', 'Service', 'kubernetes', 'default'),
      obj('v1', 'ServiceAccount', 'builder'),
    ];
    expect(names(find(live))).toEqual(['ServiceAccount/builder']);
    expect(names(find([obj('v1', 'Service', 'kubernetes')]))).toEqual(['Service/kubernetes']);
  });

  it('leaves out ignore entries: kind and name globs, empty kind or name matching any, group matched exactly or by glob', () => {
    const live = [
      cm('stray-1'),
      cm('stray-2'),
      cm('keep'),
      obj('apps/v1', 'Deployment', 'stray-web'),
      obj('v1', 'Secret', 'tls'),
    ];
    expect(names(find(live, { ignore: [{ kind: 'ConfigMap', name: 'stray-*' }] }))).toEqual([
      'ConfigMap/keep',
      'Secret/tls',
      'Deployment/stray-web',
    ]);
    // No kind: every core kind named stray-*; the group '' does not match apps.
    expect(names(find(live, { ignore: [{ name: 'stray-*' }] }))).toEqual([
      'ConfigMap/keep',
      'Secret/tls',
      'Deployment/stray-web',
    ]);
    expect(names(find(live, { ignore: [{ group: '*', name: 'stray-*' }] }))).toEqual(['ConfigMap/keep', 'Secret/tls']);
    expect(names(find(live, { ignore: [{ kind: 'Secret' }, { group: 'apps', kind: 'Deploy*' }] }))).toEqual([
      'ConfigMap/keep',
      'ConfigMap/stray-1',
      'ConfigMap/stray-2',
    ]);
  });

  it('leaves out kinds the project does not permit in a namespace', () => {
    const live = [cm('stray'), obj('v1', 'Secret', 'tls')];
    const project = { orphanedResources: {}, namespaceResourceBlacklist: [{ group: '', kind: 'Secret' }] };
    expect(names(findOrphanedResources({ project, namespace: 'shop', live, managed: new Set() }))).toEqual([
      'ConfigMap/stray',
    ]);
  });

  it('warn defaults to true once orphanedResources is set (IsWarn); the message is Argo CD’s', () => {
    expect(isOrphanedWarn({})).toBe(true);
    expect(isOrphanedWarn({ warn: true })).toBe(true);
    expect(isOrphanedWarn({ warn: false })).toBe(false);
    expect(orphanedWarningMessage(1)).toBe('Application has 1 orphaned resources');
  });
});
