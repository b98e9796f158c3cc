import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFixture } from '@/tests/fixtures/gitops/load-fixtures';
import { defaultProject, ZAppProject } from './app-project-schema';
import { isSourcePermitted } from './source-permitted';
import { isDestinationPermitted } from './destination-permitted';
import { isGroupKindPermitted } from './resource-permitted';

const sample = () => parse(readFixture('projects/argocd-project-sample.yaml')) as Record<string, unknown>;

function issuePaths(value: unknown): string[] {
  const result = ZAppProject.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
}

describe('ZAppProject', () => {
  it("accepts Argo CD's docs/operator-manual/project.yaml unchanged", () => {
    const parsed = ZAppProject.parse(sample());
    expect(parsed.metadata.name).toBe('my-project');
    expect(parsed.spec.roles?.[1].jwtTokens).toEqual([{ iat: 1535390316 }]);
    expect(parsed.spec.syncWindows).toHaveLength(3);
    expect(parsed.spec.sourceNamespaces).toEqual(['argocd-apps-*']);
  });

  it('refuses a misspelt field with its path', () => {
    const doc = sample();
    const spec = doc.spec as Record<string, unknown>;
    spec.sourceRepo = spec.sourceRepos;
    expect(issuePaths(doc)).toEqual(['spec: unrecognized_keys']);
    const nested = sample();
    ((nested.spec as { syncWindows: Record<string, unknown>[] }).syncWindows[0] as Record<string, unknown>).timezone =
      'UTC';
    expect(issuePaths(nested)).toEqual(['spec.syncWindows.0: unrecognized_keys']);
  });

  it('TestSyncWindow_Validate: refuses an invalid schedule, duration, time zone or window kind', () => {
    const windows = [
      { kind: 'allow', schedule: '* * *', duration: '1h', applications: ['*'] },
      { kind: 'allow', schedule: '* * * * *', duration: '1000days', applications: ['*'] },
      { kind: 'allow', schedule: '* * * * *', duration: '1h', timeZone: 'Mars/Olympus', applications: ['*'] },
      { kind: 'maybe', schedule: '* * * * *', duration: '1h', applications: ['*'] },
      { kind: 'allow', schedule: '0 * * * * *', duration: '1h', applications: ['*'] },
    ];
    const doc = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'p' } };
    expect(issuePaths({ ...doc, spec: { syncWindows: windows } })).toEqual([
      'spec.syncWindows.0.schedule: custom',
      'spec.syncWindows.1.duration: custom',
      'spec.syncWindows.2.timeZone: custom',
      'spec.syncWindows.3.kind: invalid_value',
      'spec.syncWindows.4.schedule: custom',
    ]);
  });

  it('the docs sample behaves as its comments say (Namespace only cluster-wide, Deployments and StatefulSets only)', () => {
    const { spec } = ZAppProject.parse(sample());
    expect(isSourcePermitted(spec.sourceRepos, 'https://github.com/any/repo').permitted).toBe(true);
    expect(
      isDestinationPermitted(spec.destinations, { server: 'https://kubernetes.default.svc', namespace: 'guestbook' })
        .permitted,
    ).toBe(true);
    expect(isDestinationPermitted(spec.destinations, { name: 'in-cluster', namespace: 'default' }).permitted).toBe(
      false,
    );
    expect(isGroupKindPermitted(spec, { group: '', kind: 'Namespace' }, false).permitted).toBe(true);
    expect(
      isGroupKindPermitted(spec, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, false).permitted,
    ).toBe(false);
    expect(isGroupKindPermitted(spec, { group: 'apps', kind: 'Deployment' }, true).permitted).toBe(true);
    expect(isGroupKindPermitted(spec, { group: '', kind: 'ConfigMap' }, true).permitted).toBe(false);
  });
});

describe('defaultProject (the default project Argo CD creates)', () => {
  const { spec } = ZAppProject.parse(defaultProject());

  it('is a valid AppProject named default that permits any repo and destination', () => {
    expect(defaultProject().metadata.name).toBe('default');
    expect(isSourcePermitted(spec.sourceRepos, 'git@github.com:team/app.git').permitted).toBe(true);
    expect(
      isDestinationPermitted(spec.destinations, { server: 'https://10.0.0.1:6443', namespace: 'x' }).permitted,
    ).toBe(true);
    expect(isDestinationPermitted(spec.destinations, { name: 'in-cluster', namespace: '' }).permitted).toBe(true);
  });

  it('permits every cluster-scoped and namespaced kind', () => {
    expect(isGroupKindPermitted(spec, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' }, false)).toEqual({
      permitted: true,
      rule: "clusterResourceWhitelist: group '*', kind '*'",
    });
    expect(isGroupKindPermitted(spec, { group: '', kind: 'Secret' }, true).permitted).toBe(true);
  });
});
