/**
 * How the actor came: a browser session (ui), an API token from a script (api) or from the keelson CLI (cli),
 * a project token, a trigger delivery, the controller on its own (automated sync), or the system (housekeeping).
 */
export const AUDIT_VIAS = ['ui', 'api', 'cli', 'project-token', 'trigger', 'controller', 'system'] as const;
export type AuditVia = (typeof AUDIT_VIAS)[number];

export interface AuditEntry {
  actor: string;
  action: string;
  target?: string;
  result: 'success' | 'failure';
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
