import { describe, expect, it } from 'vitest';
import { isGroupKindPermitted } from './resource-permitted';

const deployment = { group: 'apps', kind: 'Deployment' };
const replicaSet = { group: 'apps', kind: 'ReplicaSet' };

describe('isGroupKindPermitted', () => {
  it('TestAppProject_IsGroupKindPermitted: an empty namespace whitelist permits no namespaced kind', () => {
    const spec = { namespaceResourceWhitelist: [], namespaceResourceBlacklist: [deployment] };
    expect(isGroupKindPermitted(spec, replicaSet, true).permitted).toBe(false);
    expect(isGroupKindPermitted(spec, deployment, true)).toEqual({
      permitted: false,
      rule: 'namespaceResourceWhitelist: apps/Deployment is not listed',
    });
  });

  it('TestAppProject_IsGroupKindPermitted: a whitelisted kind passes unless blacklisted too', () => {
    const spec = { namespaceResourceWhitelist: [replicaSet, deployment], namespaceResourceBlacklist: [deployment] };
    expect(isGroupKindPermitted(spec, replicaSet, true).permitted).toBe(true);
    expect(isGroupKindPermitted(spec, deployment, true)).toEqual({
      permitted: false,
      rule: "namespaceResourceBlacklist: group 'apps', kind 'Deployment'",
    });
  });

  it('TestAppProject_IsGroupKindPermitted: an absent namespace whitelist permits every namespaced kind but the blacklist', () => {
    const spec = { namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }] };
    expect(isGroupKindPermitted(spec, deployment, true)).toEqual({
      permitted: true,
      rule: 'namespaceResourceWhitelist: absent (every namespaced kind)',
    });
    expect(isGroupKindPermitted(spec, { group: '', kind: 'ResourceQuota' }, true).permitted).toBe(false);
  });

  it('TestAppProject_IsGroupKindPermitted: cluster-scoped kinds need the cluster whitelist (absent or empty permits none)', () => {
    const ns = { group: '', kind: 'Namespace' };
    expect(isGroupKindPermitted({}, ns, false)).toEqual({
      permitted: false,
      rule: 'clusterResourceWhitelist: core/Namespace is not listed',
    });
    expect(isGroupKindPermitted({ clusterResourceWhitelist: [] }, ns, false).permitted).toBe(false);
    expect(isGroupKindPermitted({ clusterResourceWhitelist: [ns] }, ns, false).permitted).toBe(true);
    // The cluster whitelist says nothing about namespaced kinds.
    expect(isGroupKindPermitted({ clusterResourceWhitelist: [] }, deployment, true).permitted).toBe(true);
  });

  it('TestAppProject_IsGroupKindPermitted: the cluster blacklist removes from a wildcard whitelist; group and kind are globs', () => {
    const spec = {
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      clusterResourceBlacklist: [{ group: 'rbac.authorization.k8s.io', kind: 'Cluster*' }],
    };
    expect(isGroupKindPermitted(spec, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, false)).toEqual({
      permitted: false,
      rule: "clusterResourceBlacklist: group 'rbac.authorization.k8s.io', kind 'Cluster*'",
    });
    expect(isGroupKindPermitted(spec, { group: '', kind: 'Namespace' }, false).permitted).toBe(true);
    expect(
      isGroupKindPermitted({ namespaceResourceWhitelist: [{ group: '*.io', kind: '*' }] }, deployment, true).permitted,
    ).toBe(false);
  });

  it('TestAppProject_IsGroupKindPermitted: proj2..proj6 of upstream', () => {
    const action = { group: 'apps', kind: 'Action' };
    const ns = { group: '', kind: 'Namespace' };
    const proj2 = { namespaceResourceWhitelist: [replicaSet], namespaceResourceBlacklist: [deployment] };
    expect(isGroupKindPermitted(proj2, replicaSet, true).permitted).toBe(true);
    expect(isGroupKindPermitted(proj2, action, true).permitted).toBe(false);
    expect(isGroupKindPermitted({ clusterResourceBlacklist: [ns] }, ns, false).permitted).toBe(false);
    const proj4 = {
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
      clusterResourceBlacklist: [{ group: '*', kind: '*' }],
    };
    expect(isGroupKindPermitted(proj4, ns, false).permitted).toBe(false);
    expect(isGroupKindPermitted(proj4, action, true).permitted).toBe(true);
    const proj5 = { clusterResourceWhitelist: [], namespaceResourceWhitelist: [{ group: '*', kind: '*' }] };
    expect(isGroupKindPermitted(proj5, ns, false).permitted).toBe(false);
    expect(isGroupKindPermitted(proj5, action, true).permitted).toBe(true);
    expect(isGroupKindPermitted({}, ns, false).permitted).toBe(false);
    expect(isGroupKindPermitted({}, action, true).permitted).toBe(true);
  });
});
