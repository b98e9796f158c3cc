import { z } from 'zod';
import type { SsoIdentity } from './upsert-sso-user';

/** The identity provider's claims: any JSON object. */
const ZProfile = z.record(z.string(), z.unknown());

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
  const p = ZProfile.safeParse(profile).data ?? {};
  const raw = p[groupsClaim];
  const one = str(raw);
  const groups = Array.isArray(raw) ? raw.filter((g): g is string => typeof g === 'string') : one ? [one] : [];
  return {
    provider,
    subject,
    preferredUsername: str(p.preferred_username),
    email: str(p.email),
    name: str(p.name),
    groups,
  };
}
