import { stringify } from 'yaml';
import { BUILTIN_POLICY_CSV } from '@/lib/domain/access/builtin-policy';
import { builtinPolicy, rbacConfigFromData } from '@/lib/domain/access/rbac-config';
import type { TRbacConfigMapDocument, TRbacConfigView } from '@/lib/schemas/rbac';
import type { Principal } from '../principal';
import type { ProjectDeps } from './project-deps';

/** A fresh install's argocd-rbac-cm: SSO users read everything; the local admin is role:admin (built in). */
export const DEFAULT_RBAC_DATA: Record<string, string> = { 'policy.default': 'role:readonly', 'policy.csv': '' };

export function rbacConfigMap(data: Record<string, string>): TRbacConfigMapDocument {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm' }, data };
}

/** role:admin, role:readonly and every `role:…` the policy names (the Access page's "Map group" choices). */
function rolesOf(data: Record<string, string>): string[] {
  const parsed = rbacConfigFromData(data);
  const named = (policy: ReturnType<typeof builtinPolicy>) => [
    ...policy.rules.map((r) => r.subject),
    ...policy.links.flatMap((l) => [l.subject, l.role]),
  ];
  const all = [...named(builtinPolicy()), ...(parsed.ok ? named(parsed.config.policy) : [])];
  if (parsed.ok && parsed.config.policyDefault) all.push(parsed.config.policyDefault);
  return [...new Set(all.filter((s) => s.startsWith('role:')))].sort();
}

/**
 * The effective argocd-rbac-cm (`rbac, get, *`, which role:readonly has): the applied one, or the
 * defaults while none was applied, with the built-in policy that always holds beneath it.
 */
export async function getRbacConfig(deps: ProjectDeps, principal: Principal): Promise<TRbacConfigView> {
  await deps.access.authorize(principal, 'rbac', 'get', '*');
  const stored = await deps.accessStores.rbac.get();
  const data = stored?.data ?? DEFAULT_RBAC_DATA;
  const configMap = rbacConfigMap(data);
  return {
    configMap,
    yaml: stringify(configMap, { lineWidth: 0 }),
    applied: stored !== null,
    updatedAt: stored?.updatedAt.toISOString() ?? null,
    updatedBy: stored?.updatedBy ?? null,
    roles: rolesOf(data),
    builtinPolicy: BUILTIN_POLICY_CSV,
  };
}
