import type { SsoIdentity } from './upsert-sso-user';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Reads the standard OIDC claims plus the configured groups claim (a list, or one string). */
export function ssoIdentityFromProfile(
  provider: string,
  subject: string,
  profile: unknown,
  groupsClaim: string,
): SsoIdentity {
  const p = (profile && typeof profile === 'object' ? profile : {}) as Record<string, unknown>;
  const raw = p[groupsClaim];
  const groups = Array.isArray(raw)
    ? raw.filter((g): g is string => typeof g === 'string')
    : str(raw)
      ? [raw as string]
      : [];
  return {
    provider,
    subject,
    preferredUsername: str(p.preferred_username),
    email: str(p.email),
    name: str(p.name),
    groups,
  };
}
