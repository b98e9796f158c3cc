import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';

export async function removeCluster(
  deps: Pick<GitopsDeps, 'gitops'>,
  principal: Principal,
  name: string,
): Promise<void> {
  await deps.gitops.transaction(async (tx) => {
    if (!(await tx.clusters.deleteByName(name)))
      throw new AppError('NOT_FOUND', `No cluster named "${name}".`, {
        hint: 'List clusters with `keelson cluster list`.',
      });
    await tx.audit.record(auditEntry(principal, 'cluster.remove', `cluster/${name}`));
  });
}
