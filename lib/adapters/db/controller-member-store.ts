/** The gitops controllers' membership and refresh leases (Drizzle); implements the ControllerMemberStore port. */
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { ControllerMemberStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { appRefreshLeases, controllerMembers } from './schema';

/** Rows of members dead this long are deleted by the others' heartbeats. */
const FORGET_DEAD_AFTER = sql`interval '1 hour'`;

export function createControllerMemberStore(db: DbOrTx): ControllerMemberStore {
  return {
    async heartbeat(member, leaseSeconds) {
      const until = sql`now() + make_interval(secs => ${leaseSeconds})`;
      await db
        .insert(controllerMembers)
        .values({ ...member, leaseUntil: until })
        .onConflictDoUpdate({ target: controllerMembers.id, set: { heartbeatAt: sql`now()`, leaseUntil: until } });
      await db.delete(controllerMembers).where(sql`${controllerMembers.leaseUntil} < now() - ${FORGET_DEAD_AFTER}`);
      const rows = await db
        .select({ id: controllerMembers.id })
        .from(controllerMembers)
        .where(gt(controllerMembers.leaseUntil, sql`now()`))
        .orderBy(asc(controllerMembers.id));
      return rows.map((r) => r.id);
    },
    async leave(id) {
      await db.delete(controllerMembers).where(eq(controllerMembers.id, id));
    },
    async claimRefresh(appName, owner) {
      // One statement: free, mine, or its holder's membership ran out; and only while mine has not.
      const rows = await db.execute<{ app_name: string }>(sql`
        insert into app_refresh_leases as l (app_name, owner, held, since)
        select ${appName}, ${owner}, true, now()
        where exists (select 1 from applications where name = ${appName})
          and exists (select 1 from controller_members where id = ${owner} and lease_until > now())
        on conflict (app_name) do update set owner = excluded.owner, held = true, since = excluded.since
        where not l.held or l.owner = excluded.owner
          or not exists (select 1 from controller_members m where m.id = l.owner and m.lease_until > now())
        returning app_name`);
      return rows.rows.length > 0;
    },
    async releaseRefresh(appName, owner) {
      await db
        .update(appRefreshLeases)
        .set({ held: false })
        .where(and(eq(appRefreshLeases.appName, appName), eq(appRefreshLeases.owner, owner)));
    },
  };
}
