import { globMatch } from '../gitops/projects/glob';
import type { Policy } from './policy-csv';

/** The local administrator, made role:admin by the built-in `g, admin, role:admin`. */
export const LOCAL_ADMIN = 'admin';

/** The rights no policy may deny the local admin: rewriting the RBAC ConfigMap, and managing accounts. */
const PROTECTED: readonly [resource: string, action: string, object: string][] = [
  ['rbac', 'update', '*'],
  ['accounts', 'update', '*'],
];
export const LOCKOUT_RIGHTS = 'rbac, update or accounts, update';

/**
 * A user policy that would take `rbac, update, *` (the right to change the RBAC ConfigMap) or
 * `accounts, update, *` from the local admin: a deny for `admin` or any role it reaches through `g` lines.
 * The built-in policy keeps `g, admin, role:admin`, so without such a deny the admin can always repair a
 * policy. Returns the first offending rule as written, or null. Glob match mode (regex policies are checked
 * as literal names).
 */
export function adminLockoutRule(policy: Policy): string | null {
  const reached = new Set([LOCAL_ADMIN, 'role:admin']);
  for (let grew = true; grew;) {
    grew = false;
    for (const link of policy.links) {
      if (reached.has(link.subject) && !reached.has(link.role)) {
        reached.add(link.role);
        grew = true;
      }
    }
  }
  const rule = policy.rules.find(
    (r) =>
      r.effect === 'deny' &&
      reached.has(r.subject) &&
      PROTECTED.some(
        ([resource, action, object]) =>
          globMatch(r.resource, resource) && globMatch(r.action, action) && globMatch(r.object, object),
      ),
  );
  return rule ? `p, ${rule.subject}, ${rule.resource}, ${rule.action}, ${rule.object}, deny` : null;
}
