import { and, count, desc, eq, gte, ilike, like, lt, or, type SQL } from 'drizzle-orm';
import type { AuditLog, AuditPageQuery } from '@/lib/server/audit/ports';
import type { DbOrTx } from './client';
import { auditLog } from './schema';

/** `%`, `_` and `\` are literal in a LIKE pattern. */
const literal = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The object is `<kind>/…`, or the action `<kind>.…` or `<kind>`. */
const ofKind = (kind: string) =>
  or(
    like(auditLog.target, `${literal(kind)}/%`),
    like(auditLog.action, `${literal(kind)}.%`),
    eq(auditLog.action, kind),
  );

/** The action itself, its `<kind>.` prefix or its `.<verb>`. */
const ofAction = (action: string) =>
  or(
    eq(auditLog.action, action),
    like(auditLog.action, `${literal(action)}.%`),
    like(auditLog.action, `%.${literal(action)}`),
  );

function filters(q: AuditPageQuery): SQL | undefined {
  return and(
    q.actor ? eq(auditLog.actor, q.actor) : undefined,
    q.kinds?.length ? or(...q.kinds.map(ofKind)) : undefined,
    q.action ? ofAction(q.action) : undefined,
    q.object ? ilike(auditLog.target, `%${literal(q.object)}%`) : undefined,
    q.result ? eq(auditLog.result, q.result) : undefined,
    q.via ? eq(auditLog.via, q.via) : undefined,
    q.since ? gte(auditLog.at, q.since) : undefined,
    q.until ? lt(auditLog.at, q.until) : undefined,
  );
}

/** The audit log read newest first; an actor filter uses (actor, at), the others (at). */
export function createAuditLogStore(db: DbOrTx): AuditLog {
  return {
    async page(q) {
      const where = filters(q);
      const [rows, [{ total }]] = await Promise.all([
        db
          .select()
          .from(auditLog)
          .where(where)
          .orderBy(desc(auditLog.at), desc(auditLog.id))
          .limit(q.limit)
          .offset(q.offset),
        db.select({ total: count() }).from(auditLog).where(where),
      ]);
      return { rows, total };
    },
  };
}
