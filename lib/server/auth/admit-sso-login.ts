import { AppError } from '@/lib/errors';
import type { AuthDeps } from './ports';
import type { SsoIdentity } from './upsert-sso-user';

/** What the login page says when KEELSON_OIDC_ALLOWED_GROUPS refuses someone. */
export const NOT_IN_ALLOWED_GROUPS =
  'Your account is not in a group allowed to sign in to Keelson. Ask an administrator to add you to one of the allowed groups.';

/**
 * KEELSON_OIDC_ALLOWED_GROUPS: when set, an SSO login is admitted only if one of its groups (read by the RBAC
 * `scopes`) is in the list. A refusal leaves an audit row (login, failure) and no user or session.
 */
export async function admitSsoLogin(
  deps: AuthDeps,
  identity: SsoIdentity,
  allowedGroups: readonly string[],
  ip?: string,
): Promise<void> {
  if (allowedGroups.length === 0 || identity.groups.some((g) => allowedGroups.includes(g))) return;
  await deps.auth.audit.record({
    actor: identity.preferredUsername ?? identity.email ?? `${identity.provider}-${identity.subject}`,
    action: 'login',
    result: 'failure',
    via: 'ui',
    ip,
    details: {
      method: identity.provider,
      reason: 'not in KEELSON_OIDC_ALLOWED_GROUPS',
      subject: identity.subject,
      groups: identity.groups,
    },
  });
  throw new AppError('FORBIDDEN', NOT_IN_ALLOWED_GROUPS);
}
