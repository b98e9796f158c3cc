import { describe, expect, it } from 'vitest';
import { defaultProject, type TAppProject } from './app-project-schema';
import { checkApplicationSpec, checkResources, describeRefusals, type ProjectResource } from './check-application';

const KDS = 'https://kubernetes.default.svc';
const team: TAppProject = {
  ...defaultProject(),
  metadata: { name: 'team-a' },
  spec: {
    sourceRepos: ['https://github.com/team-a/*', '!https://github.com/team-a/secret-*'],
    destinations: [{ server: KDS, namespace: 'team-a-*' }],
    namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }],
  },
};
const res = (over: Partial<ProjectResource>): ProjectResource => ({
  group: 'apps',
  kind: 'Deployment',
  name: 'web',
  namespace: 'team-a-dev',
  namespaced: true,
  ...over,
});

describe('checkApplicationSpec (ValidatePermissions)', () => {
  it('permits an app inside its project', () => {
    const app = {
      sources: [{ repoURL: 'https://github.com/team-a/web.git' }],
      destination: { server: KDS, namespace: 'team-a-dev' },
    };
    expect(checkApplicationSpec(team, app)).toEqual([]);
  });

  it('names the rule that refused the repo and the destination', () => {
    const app = {
      sources: [{ repoURL: 'https://github.com/team-a/secret-keys' }],
      destination: { server: KDS, namespace: 'kube-system' },
    };
    const refusals = checkApplicationSpec(team, app);
    expect(refusals.map((r) => r.rule)).toEqual([
      "sourceRepos: '!https://github.com/team-a/secret-*'",
      `destinations: no entry permits '${KDS}/kube-system'`,
    ]);
    expect(describeRefusals(refusals)).toContain(
      "application repo https://github.com/team-a/secret-keys is not permitted in project 'team-a' (refused by sourceRepos: '!https://github.com/team-a/secret-*')",
    );
  });

  it('the default project permits anything', () => {
    const app = { sources: [{ repoURL: 'git@example.com:x/y.git' }], destination: { name: 'prod', namespace: 'z' } };
    expect(checkApplicationSpec(defaultProject(), app)).toEqual([]);
  });
});

describe('checkResources (IsResourcePermitted, at sync time)', () => {
  const dst = { server: KDS, namespace: 'team-a-dev' };

  it('refuses a cluster-scoped kind the project does not whitelist, and a blacklisted namespaced kind', () => {
    const refusals = checkResources(team, dst, [
      res({}),
      res({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', namespaced: false }),
      res({ group: '', kind: 'ResourceQuota', name: 'q' }),
    ]);
    expect(refusals.map((r) => r.rule)).toEqual([
      'clusterResourceWhitelist: rbac.authorization.k8s.io/ClusterRole is not listed',
      "namespaceResourceBlacklist: group '', kind 'ResourceQuota'",
    ]);
  });

  it("refuses a namespaced object whose own namespace is outside the project's destinations", () => {
    const [refusal] = checkResources(team, dst, [res({ namespace: 'kube-system' })]);
    expect(refusal.rule).toBe(`destinations: no entry permits '${KDS}/kube-system'`);
    expect(refusal.message).toBe(
      'resource apps/Deployment kube-system/web: namespace kube-system is not permitted in project team-a',
    );
  });
});
