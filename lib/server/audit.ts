export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  result: 'success' | 'failure';
  ip?: string;
  details?: Record<string, unknown>;
}

/**
 * The audit log: every mutating action and every login attempt leaves a row (who, what, when, target,
 * result). A unit of work hands out one bound to its transaction, so the row commits with the change.
 */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}
