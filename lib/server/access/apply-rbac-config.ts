import { isDeepStrictEqual } from 'node:util';
import { adminLockoutRule, LOCKOUT_RIGHTS } from '@/lib/domain/access/admin-lockout';
import { parseRbacConfigMap, ZRbacConfigMap } from '@/lib/domain/access/rbac-config';
import { specDiff } from '@/lib/domain/audit/spec-diff';
import { AppError } from '@/lib/errors';
import type { TAppliedRbacConfig } from '@/lib/schemas/rbac';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { singleDocument } from './document-input';
import { rbacConfigMap } from './get-rbac-config';
import type { ProjectDeps } from './project-deps';

const HINT =
  'Fix the lines listed (a policy line is `p, subject, resource, action, object, allow|deny` or `g, subject, role`) and apply the ConfigMap again; nothing was stored.';

/**
 * Applies Argo CD's `argocd-rbac-cm` unchanged (policy.csv, policy.<name>.csv overlays, policy.default, scopes,
 * policy.matchMode). Argo CD leaves who may edit it to Kubernetes RBAC; Keelson asks `rbac, update, *`
 * (role:admin; `accounts, update` alone is not enough). Every bad line is refused with its key and line
 * number, and a policy that would deny the local admin `rbac, update` or `accounts, update` is refused too,
 * so an administrator can always repair the policy.
 */
export async function applyRbacConfig(
  deps: ProjectDeps,
  principal: Principal,
  input: unknown,
): Promise<TAppliedRbacConfig> {
  await deps.access.authorize(principal, 'rbac', 'update', '*');
  const document = singleDocument(input, 'argocd-rbac-cm ConfigMap');
  const result = parseRbacConfigMap(document);
  if (!result.ok)
    throw new AppError(
      'BAD_REQUEST',
      `${result.issues.length} problem(s) in argocd-rbac-cm; nothing was stored. First: ${result.issues[0].path}: ${result.issues[0].message}`,
      { issues: result.issues, hint: HINT },
    );
  const lockout = adminLockoutRule(result.config.policy);
  if (lockout)
    throw new AppError('BAD_REQUEST', `This policy would stop the local admin from changing it: ${lockout}`, {
      issues: [{ path: 'data', message: `denies admin ${LOCKOUT_RIGHTS}: ${lockout}` }],
      hint: 'Remove the deny for admin/role:admin on rbac update and accounts update; nothing was stored.',
    });
  const data = ZRbacConfigMap.parse(document).data ?? {};
  const stored = await deps.accessStores.rbac.get();
  if (stored && isDeepStrictEqual(stored.data, data)) return { action: 'unchanged', configMap: rbacConfigMap(data) };
  await deps.accessStores.transaction(async (tx) => {
    await tx.rbac.put(data, principal.username);
    await tx.audit.record({
      ...auditBy(principal),
      action: 'rbac.update',
      target: 'configmaps/argocd-rbac-cm',
      result: 'success',
      // What changed (RFC 6902 over the ConfigMap's data; none stored yet reads as empty data).
      details: { diff: specDiff({ data: stored?.data ?? {} }, { data }) },
    });
  });
  return { action: 'configured', configMap: rbacConfigMap(data) };
}
