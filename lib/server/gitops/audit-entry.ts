import type { AuditEntry } from '../audit';

/** The audit row of a gitops change a user made and that succeeded. */
export function auditEntry(
  principal: { username: string },
  action: string,
  target: string,
  details?: Record<string, unknown>,
): AuditEntry {
  return { actor: principal.username, action, target, result: 'success', ...(details ? { details } : {}) };
}
