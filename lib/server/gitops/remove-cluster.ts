import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';
import { removeWithAudit } from './remove-with-audit';

export async function removeCluster(
  deps: Pick<GitopsDeps, 'gitops'>,
  principal: Principal,
  name: string,
): Promise<void> {
  await removeWithAudit(
    deps,
    (tx) => tx.clusters.deleteByName(name),
    () =>
      new AppError('NOT_FOUND', `No cluster named "${name}".`, { hint: 'List clusters with `keelson cluster list`.' }),
    () => auditEntry(principal, 'cluster.remove', `cluster/${name}`),
  );
}
