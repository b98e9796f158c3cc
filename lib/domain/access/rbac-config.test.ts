import { describe, expect, it } from 'vitest';
import { ARGO_CD_SAMPLE_RBAC_CM } from '@/tests/fixtures/access/argocd-rbac-cm';
import { defaultRbacConfig, parseRbacConfigMap, parseScopes, rbacConfigFromData } from './rbac-config';

function data(result: ReturnType<typeof parseRbacConfigMap>) {
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.config;
}

describe('parseRbacConfigMap', () => {
  it("accepts Argo CD's documented sample unchanged", () => {
    const config = data(parseRbacConfigMap(ARGO_CD_SAMPLE_RBAC_CM));
    expect(config.policyDefault).toBe('role:readonly');
    expect(config.scopes).toEqual(['groups']);
    expect(config.matchMode).toBe('glob');
    expect(config.policy.rules).toHaveLength(12);
    expect(config.policy.links).toEqual([{ subject: 'your-github-org:your-team', role: 'role:org-admin' }]);
  });

  it('refuses another kind or name, naming the field', () => {
    const wrongName = parseRbacConfigMap({ ...ARGO_CD_SAMPLE_RBAC_CM, metadata: { name: 'argocd-cm' } });
    expect(wrongName.ok).toBe(false);
    if (!wrongName.ok) expect(wrongName.issues[0]).toMatchObject({ path: 'metadata.name', message: /argocd-rbac-cm/ });
    const wrongKind = parseRbacConfigMap({ ...ARGO_CD_SAMPLE_RBAC_CM, kind: 'Secret' });
    expect(wrongKind.ok ? [] : wrongKind.issues.map((i) => i.path)).toEqual(['kind']);
  });

  it('reports a bad line of an overlay with its key and line number', () => {
    const result = parseRbacConfigMap({
      ...ARGO_CD_SAMPLE_RBAC_CM,
      data: {
        'policy.csv': 'g, a, role:readonly',
        'policy.team-a.csv': 'p, role:t, applications, get, t/*, allow\noops',
      },
    });
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['data["policy.team-a.csv"] line 2']);
  });

  it('refuses an unknown policy.matchMode', () => {
    const result = rbacConfigFromData({ 'policy.matchMode': 'fuzzy' });
    expect(result.ok ? [] : result.issues).toEqual([
      { path: 'data["policy.matchMode"]', message: 'must be glob or regex, not "fuzzy"' },
    ]);
  });

  it('merges policy.csv then the policy.<name>.csv overlays in key order (Argo CD TestPolicyCSV)', () => {
    const config = data(
      rbacConfigFromData({
        UnrelatedKey: 'unrelated value',
        'policy.B.csv': 'g, b, role:readonly',
        'policy.A.csv': 'g, a, role:readonly',
        'policy.C.csv': 'g, c, role:readonly',
        'policy.csv': 'g, main, role:readonly',
      }),
    );
    expect(config.policyCsv.split('\n')).toEqual([
      'g, main, role:readonly',
      'g, a, role:readonly',
      'g, b, role:readonly',
      'g, c, role:readonly',
    ]);
    expect(config.policy.links.map((l) => l.subject)).toEqual(['main', 'a', 'b', 'c']);
  });

  it('returns an empty policy when data has no CSV entries', () => {
    const config = data(
      parseRbacConfigMap({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' } }),
    );
    expect(config).toMatchObject({ policyCsv: '', policyDefault: null, policy: { rules: [], links: [] } });
  });

  it('reads scopes as Argo CD writes them', () => {
    expect(parseScopes('[groups, email]')).toEqual(['groups', 'email']);
    expect(parseScopes('["cognito:groups"]')).toEqual(['cognito:groups']);
    expect(parseScopes(undefined)).toEqual(['groups']);
    expect(parseScopes('[]')).toEqual(['groups']);
  });

  it('says whether the ConfigMap set scopes, so an installation default can apply when it did not', () => {
    const set = rbacConfigFromData({ scopes: '[roles]' });
    const unset = rbacConfigFromData({ 'policy.default': 'role:readonly' });
    expect(set.ok && set.config.scopesSet).toBe(true);
    expect(unset.ok && unset.config.scopesSet).toBe(false);
    expect(defaultRbacConfig().scopesSet).toBe(false);
  });

  it('gives a fresh install policy.default role:readonly', () => {
    expect(defaultRbacConfig().policyDefault).toBe('role:readonly');
  });
});
