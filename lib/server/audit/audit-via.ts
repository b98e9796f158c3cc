import type { AuditEntry, AuditVia } from '../audit';
import type { Principal } from '../principal';

/** The part of a principal the audit log reads. */
export type AuditPrincipal = Pick<Principal, 'username'> & Partial<Pick<Principal, 'via' | 'client'>>;

/**
 * How a principal came, as the audit log names it: a browser session is `ui`; a user's API token is `cli`
 * when the keelson CLI sent it, else `api`; project tokens, triggers and the controller are themselves.
 * Without a principal (or one made without `via`), the system.
 */
export function auditVia(principal: AuditPrincipal | undefined): AuditVia {
  const via = principal?.via;
  if (!via) return 'system';
  if (via === 'session') return 'ui';
  if (via === 'token') return principal.client === 'cli' ? 'cli' : principal.client === 'ui' ? 'ui' : 'api';
  return via;
}

/**
 * Who did it and via what: spread into an AuditEntry (`{ ...auditBy(principal), action, … }`). A bare
 * `{ username }` (no `via`: not a request's principal) gives the actor only.
 */
export function auditBy(principal: AuditPrincipal): Pick<AuditEntry, 'actor' | 'via'> {
  return principal.via ? { actor: principal.username, via: auditVia(principal) } : { actor: principal.username };
}
