import { eq } from 'drizzle-orm';
import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../lib/adapters/db/schema';
import { applyRbacConfig } from '../../lib/server/access/apply-rbac-config';
import { getRbacConfig } from '../../lib/server/access/get-rbac-config';
import { ARGO_CD_SAMPLE_RBAC_CM } from '../fixtures/access/argocd-rbac-cm';
import { admin, principal, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-rbac-cm' },
  data,
});

describe('argocd-rbac-cm', () => {
  it('answers the defaults before anything is applied (policy.default role:readonly, built-in roles)', async () => {
    const view = await getRbacConfig(t.deps(), readonly());
    expect(view.applied).toBe(false);
    expect(view.configMap.data['policy.default']).toBe('role:readonly');
    expect(view.roles).toEqual(['role:admin', 'role:readonly']);
    expect(view.builtinPolicy).toContain('g, admin, role:admin');
    expect(view.yaml).toContain('name: argocd-rbac-cm');
  });

  it("applies Argo CD's sample unchanged (YAML) and its role:org-admin works as the docs say", async () => {
    const applied = await applyRbacConfig(t.deps(), admin(), stringify(ARGO_CD_SAMPLE_RBAC_CM));
    expect(applied.action).toBe('configured');
    const { access } = t.deps();
    const member = principal('erin', ['your-github-org:your-team'], 'session');
    expect(await access.can(member, 'applications', 'delete', 'team-a/web')).toBe(true);
    expect(await access.can(member, 'projects', 'create', 'team-a')).toBe(true);
    expect(await access.can(member, 'repositories', 'create', 'https://git.example/x.git')).toBe(true);
    expect(await access.can(member, 'clusters', 'create', 'https://k8s.example')).toBe(false);
    expect(await access.can(member, 'accounts', 'update', '*')).toBe(false);
    const other = principal('frank', ['somebody-else'], 'session');
    expect(await access.can(other, 'applications', 'get', 'team-a/web')).toBe(true);
    expect(await access.can(other, 'applications', 'sync', 'team-a/web')).toBe(false);
    const view = await getRbacConfig(t.deps(), readonly());
    expect(view).toMatchObject({ applied: true, updatedBy: 'admin' });
    expect(view.roles).toContain('role:org-admin');
    expect((await applyRbacConfig(t.deps(), admin(), ARGO_CD_SAMPLE_RBAC_CM)).action).toBe('unchanged');
    const rows = await t.handle.db.select().from(auditLog).where(eq(auditLog.action, 'rbac.update'));
    expect(rows).toHaveLength(1);
  });

  it("the docs' team examples: `p, my-org:team-alpha, …` and a group mapped to role:admin", async () => {
    await applyRbacConfig(
      t.deps(),
      admin(),
      configMap({
        'policy.default': '',
        'policy.csv': [
          'p, my-org:team-alpha, applications, sync, my-project/*, allow',
          'g, my-org:team-beta, role:admin',
        ].join('\n'),
        'policy.overlay.csv': 'p, role:auditor, pipelines, get, */*, allow\ng, auditors, role:auditor',
        scopes: '[groups, email]',
      }),
    );
    const { access } = t.deps();
    const alpha = principal('gil', ['my-org:team-alpha'], 'session');
    expect(await access.can(alpha, 'applications', 'sync', 'my-project/web')).toBe(true);
    expect(await access.can(alpha, 'applications', 'sync', 'default/web')).toBe(false);
    expect(await access.can(alpha, 'applications', 'get', 'default/web')).toBe(false);
    expect(await access.can(principal('hal', ['my-org:team-beta'], 'session'), 'accounts', 'update', '*')).toBe(true);
    expect(await access.can(principal('ida', ['auditors'], 'session'), 'pipelines', 'get', 'team-a/build')).toBe(true);
    expect((await access.config()).scopes).toEqual(['groups', 'email']);
  });

  it('refuses bad lines with their key and line number, and stores nothing', async () => {
    const before = await getRbacConfig(t.deps(), admin());
    const err = await applyRbacConfig(
      t.deps(),
      admin(),
      configMap({
        'policy.csv': 'p, role:x, applications, get, */*, allow\n\np, role:x, aplications, get, */*, allow',
        'policy.team.csv': 'g, only-two-fields',
      }),
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'BAD_REQUEST' });
    const issues = (err as { details: { issues: { path: string; message: string }[] } }).details.issues;
    expect(issues.map((i) => i.path)).toEqual(['data["policy.csv"] line 3', 'data["policy.team.csv"] line 1']);
    expect(issues[0].message).toContain('unknown resource "aplications"');
    expect(await getRbacConfig(t.deps(), admin())).toEqual(before);
  });

  it('refuses a policy that would deny the local admin accounts update (no lock-out); the built-in admin line stays', async () => {
    await expect(
      applyRbacConfig(t.deps(), admin(), configMap({ 'policy.csv': 'p, role:admin, accounts, update, *, deny' })),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('local admin') });
    await applyRbacConfig(t.deps(), admin(), configMap({ 'policy.csv': '', 'policy.default': '' }));
    expect(await t.deps().access.can(admin(), 'accounts', 'update', '*')).toBe(true);
  });

  it('only a subject with rbac, update, * may apply it (403 naming it; nothing stored)', async () => {
    const before = await getRbacConfig(t.deps(), admin());
    await expect(
      applyRbacConfig(t.deps(), readonly(), configMap({ 'policy.csv': 'g, viewers, role:admin' })),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { denied: { resource: 'rbac', action: 'update', object: '*' } },
    });
    expect(await getRbacConfig(t.deps(), admin())).toEqual(before);
  });
});
