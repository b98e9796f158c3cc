import { eq } from 'drizzle-orm';
import { clusters } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';

export async function removeCluster(deps: Deps, principal: Principal, name: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const gone = await tx.delete(clusters).where(eq(clusters.name, name)).returning({ id: clusters.id });
    if (gone.length === 0)
      throw new AppError('NOT_FOUND', `No cluster named "${name}".`, {
        hint: 'List clusters with `keelson cluster list`.',
      });
    await recordAudit({ ...deps, db: tx }, auditEntry(principal, 'cluster.remove', `cluster/${name}`));
  });
}
