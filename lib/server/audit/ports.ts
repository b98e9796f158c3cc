import type { AuditResult, AuditVia } from '@/lib/domain/audit/vias';
import type { Access } from '../access/ports';

/** The filters of one page of the audit log, resolved (times are instants, the resource is a row kind). */
export interface AuditPageQuery {
  actor?: string;
  /** The object is `<kind>/…` or the action `<kind>.…`, for any of these spellings of the kind. */
  kinds?: string[];
  /** The action, its `<kind>.` prefix or its `.<verb>`. */
  action?: string;
  /** Substring of the object. */
  object?: string;
  result?: AuditResult;
  via?: AuditVia;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

export interface AuditRecord {
  id: string;
  at: Date;
  actor: string;
  via: string | null;
  action: string;
  target: string | null;
  result: string;
  ip: string | null;
  details: Record<string, unknown> | null;
}

/** Reading the audit log: newest first (the at / (actor, at) indexes), the total counted over the filters. */
export interface AuditLog {
  page(q: AuditPageQuery): Promise<{ rows: AuditRecord[]; total: number }>;
}

export interface AuditLogDeps {
  auditLog: AuditLog;
  access: Access;
  now: () => Date;
}
