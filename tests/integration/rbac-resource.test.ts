import { stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyRbacConfig } from '../../lib/server/access/apply-rbac-config';
import { getRbacConfig } from '../../lib/server/access/get-rbac-config';
import { applyDocuments } from '../../lib/server/pipeline/apply-documents';
import { secretBox } from '../../lib/server/security/secret-box';
import { params, request, installTestWebContext, webEnv, webUser, type WebUser } from './security/web-support';
import { admin, principal, readonly } from './support/principals';
import { testDatabase, type TestDatabase } from './support/test-database';

/**
 * Security review: `accounts, update, *` (a helpdesk that resets passwords) was also the right to rewrite
 * argocd-rbac-cm, so such a role could make itself admin. The ConfigMap is its own resource: `rbac`.
 */
let t: TestDatabase;
let helpdesk: WebUser;
let put: typeof import('../../app/api/v1/settings/rbac/route').PUT;
const box = secretBox('test-secret-key-'.repeat(3));

const HELPDESK_POLICY = {
  'policy.default': 'role:readonly',
  'policy.csv': 'p, role:helpdesk, accounts, update, *, allow\ng, hd, role:helpdesk',
};
const configMap = (data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-rbac-cm' },
  data,
});
const ESCALATION = configMap({ 'policy.csv': 'g, hd, role:admin' });
const rbacDenied = (action: string) => ({
  code: 'FORBIDDEN',
  details: { denied: { resource: 'rbac', action, object: '*' } },
});

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  installTestWebContext();
  helpdesk = await webUser(t, 'hd');
  put = (await import('../../app/api/v1/settings/rbac/route')).PUT;
  await applyRbacConfig(t.deps(), admin(), configMap(HELPDESK_POLICY));
});

describe('the rbac resource: who may read and rewrite argocd-rbac-cm', () => {
  it('a role with only accounts, update, * may manage accounts but not apply argocd-rbac-cm (use case)', async () => {
    const hd = principal('hd', [], 'session');
    expect(await t.deps().access.can(hd, 'accounts', 'update', 'carol')).toBe(true);
    await expect(applyRbacConfig(t.deps(), hd, ESCALATION)).rejects.toMatchObject(rbacDenied('update'));
    expect((await t.deps().accessStores.rbac.get())?.data).toEqual(HELPDESK_POLICY);
  });

  it('… nor through PUT /api/v1/settings/rbac (403 naming rbac, update, *)', async () => {
    const res = await put(
      request('/api/v1/settings/rbac', {
        method: 'PUT',
        headers: { authorization: `Bearer ${helpdesk.token}`, 'content-type': 'application/yaml' },
        body: stringify(ESCALATION),
      }),
      params({}),
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'FORBIDDEN', denied: { resource: 'rbac', action: 'update', object: '*' } },
    });
    expect((await t.deps().accessStores.rbac.get())?.data).toEqual(HELPDESK_POLICY);
  });

  it('… nor inside a file given to keelson apply -f', async () => {
    const hd = principal('hd', [], 'token');
    await expect(applyDocuments(t.deps(), hd, stringify(ESCALATION), box)).rejects.toMatchObject(rbacDenied('update'));
    expect((await t.deps().accessStores.rbac.get())?.data).toEqual(HELPDESK_POLICY);
  });

  it('reading it needs rbac, get, *: role:readonly has it, a user with no role does not', async () => {
    expect((await getRbacConfig(t.deps(), readonly())).applied).toBe(true);
    await applyRbacConfig(t.deps(), admin(), configMap({ ...HELPDESK_POLICY, 'policy.default': '' }));
    await expect(getRbacConfig(t.deps(), principal('nobody', [], 'session'))).rejects.toMatchObject(rbacDenied('get'));
    expect(await t.deps().access.can(admin(), 'rbac', 'update', '*')).toBe(true);
    await applyRbacConfig(t.deps(), admin(), configMap(HELPDESK_POLICY));
  });

  it('refuses a policy that would deny the local admin rbac, update (no lock-out)', async () => {
    for (const csv of ['p, role:admin, rbac, update, *, deny', 'p, admin, rbac, *, *, deny']) {
      await expect(applyRbacConfig(t.deps(), admin(), configMap({ 'policy.csv': csv }))).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('local admin'),
      });
    }
    expect((await t.deps().accessStores.rbac.get())?.data).toEqual(HELPDESK_POLICY);
  });
});
