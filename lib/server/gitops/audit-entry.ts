import type { AuditEntry } from '../audit';
import { auditBy, type AuditPrincipal } from '../audit/audit-via';

/** The audit row of a gitops change a user made and that succeeded: who, via what (from the principal), what. */
export function auditEntry(
  principal: AuditPrincipal,
  action: string,
  target: string,
  details?: Record<string, unknown>,
): AuditEntry {
  return { ...auditBy(principal), action, target, result: 'success', ...(details ? { details } : {}) };
}
