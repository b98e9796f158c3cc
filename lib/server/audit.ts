import type { AuditResult, AuditVia } from '@/lib/domain/audit/vias';

export type { AuditVia } from '@/lib/domain/audit/vias';

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  result: AuditResult;
  ip?: string;
  /** Filled from the principal by auditBy()/auditEntry(); rows written without it have no `via`. */
  via?: AuditVia;
  details?: Record<string, unknown>;
}

/**
 * The audit log: every mutating action and every login attempt leaves a row (who, via what, what, when,
 * target, result). A unit of work hands out one bound to its transaction, so the row commits with the change.
 */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}
