import { describe, expect, it } from 'vitest';
import { defaultProject, type TAppProject } from './app-project-schema';
import { isLiveResourcePermitted } from './live-resource-permitted';

const narrow = (): TAppProject => {
  const p = defaultProject();
  p.metadata.name = 'narrow';
  p.spec.destinations = [{ name: 'in-cluster', namespace: 'team-*' }];
  p.spec.clusterResourceWhitelist = [];
  p.spec.namespaceResourceBlacklist = [{ group: '', kind: 'Secret' }];
  return p;
};
const cluster = { name: 'in-cluster', server: 'https://k8s' };
const deploy = (namespace: string) => ({ group: 'apps', kind: 'Deployment', namespace, name: 'web' });

describe('isLiveResourcePermitted (AppProject.IsLiveResourcePermitted)', () => {
  it('permits a namespaced object only in a destination namespace of the app cluster', () => {
    expect(isLiveResourcePermitted(narrow(), cluster, deploy('team-a'))).toBe(true);
    expect(isLiveResourcePermitted(narrow(), cluster, deploy('kube-system'))).toBe(false);
    expect(isLiveResourcePermitted(narrow(), { name: 'other', server: 'https://other' }, deploy('team-a'))).toBe(false);
  });

  it('refuses a blacklisted kind, and a cluster-scoped object the cluster whitelist does not list', () => {
    expect(
      isLiveResourcePermitted(narrow(), cluster, { group: '', kind: 'Secret', namespace: 'team-a', name: 's' }),
    ).toBe(false);
    expect(isLiveResourcePermitted(narrow(), cluster, { group: '', kind: 'Namespace', namespace: '', name: 'x' })).toBe(
      false,
    );
  });

  it('the default project permits everything, kube-system and cluster-scoped objects included', () => {
    expect(isLiveResourcePermitted(defaultProject(), cluster, deploy('kube-system'))).toBe(true);
    expect(
      isLiveResourcePermitted(defaultProject(), cluster, { group: '', kind: 'Namespace', namespace: '', name: 'x' }),
    ).toBe(true);
  });
});
