import { z } from 'zod';
import { scopeValues } from '@/lib/domain/access/scope-values';
import type { SsoIdentity } from './upsert-sso-user';

/** The identity provider's claims: any JSON object. */
const ZProfile = z.record(z.string(), z.unknown());

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/**
 * Reads the standard OIDC claims, and the groups from the claims argocd-rbac-cm's `scopes` names (default
 * `[groups]`; each a list or one string), as Argo CD does.
 */
export function ssoIdentityFromProfile(
  provider: string,
  subject: string,
  profile: unknown,
  scopes: readonly string[],
): SsoIdentity {
  const p = ZProfile.safeParse(profile).data ?? {};
  return {
    provider,
    subject,
    preferredUsername: str(p.preferred_username),
    email: str(p.email),
    name: str(p.name),
    groups: scopeValues(p, scopes).filter((g) => g !== ''),
  };
}
