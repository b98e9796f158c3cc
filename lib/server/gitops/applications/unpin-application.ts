import { eq, sql } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import { recordAudit } from '../../audit';
import type { Deps } from '../../deps';
import type { Principal } from '../../principal';
import { notifyController } from '../notify-controller';
import { getApplication } from './get-application';
import { noSuchApplication } from './load-application';
import { auditEntry } from '../audit-entry';

/** Resumes following targetRevision: the pin goes, a refresh is asked (auto-sync may then act). */
export async function unpinApplication(deps: Deps, principal: Principal, name: string) {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(applications)
      .set({
        pinned: null,
        refreshRequested: sql`coalesce(${applications.refreshRequested}, 'normal')`,
        nextReconcileAt: deps.now(),
        updatedAt: deps.now(),
      })
      .where(eq(applications.name, name))
      .returning({ id: applications.id });
    if (!row) throw noSuchApplication(name);
    await recordAudit({ ...deps, db: tx }, auditEntry(principal, 'application.unpin', `application/${name}`));
    await notifyController({ db: tx }, name);
  });
  return getApplication(deps, name);
}
