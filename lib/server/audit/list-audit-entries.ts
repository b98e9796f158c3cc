import { auditKinds, timeBound } from '@/lib/domain/audit/audit-filter';
import { AUDIT_RESULTS, AUDIT_VIAS } from '@/lib/domain/audit/vias';
import type { TAuditEntry, TAuditList, TAuditQuery } from '@/lib/schemas/audit';
import type { Principal } from '../principal';
import type { AuditLogDeps, AuditRecord } from './ports';

const oneOf = <T extends string>(values: readonly T[], v: string | null): T | null =>
  values.find((x) => x === v) ?? null;

function toEntry(r: AuditRecord): TAuditEntry {
  return {
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    via: oneOf(AUDIT_VIAS, r.via),
    action: r.action,
    target: r.target,
    result: oneOf(AUDIT_RESULTS, r.result) ?? 'failure',
    ip: r.ip,
    details: r.details,
  };
}

/**
 * One page of the audit log, newest first, with the total over the filters. Needs `audit get *`
 * (role:admin): rows say who did what from which address. Relative times (`1h`) count back from now.
 */
export async function listAuditEntries(deps: AuditLogDeps, principal: Principal, q: TAuditQuery): Promise<TAuditList> {
  await deps.access.authorize(principal, 'audit', 'get', '*');
  const now = deps.now();
  const { rows, total } = await deps.auditLog.page({
    actor: q.user,
    kinds: q.resource ? auditKinds(q.resource) : undefined,
    action: q.action,
    object: q.object,
    result: q.result,
    via: q.via,
    since: q.since ? timeBound(q.since, now) : undefined,
    until: q.until ? timeBound(q.until, now) : undefined,
    limit: q.limit,
    offset: q.offset,
  });
  return { items: rows.map(toEntry), total, limit: q.limit, offset: q.offset };
}
