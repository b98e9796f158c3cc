import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';
import { removeWithAudit } from './remove-with-audit';

/** Unregisters a cluster: `clusters, delete, <server URL>`. */
export async function removeCluster(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
): Promise<void> {
  const cluster = await deps.gitops.clusters.find(name);
  if (cluster) await deps.access.authorize(principal, 'clusters', 'delete', cluster.server);
  else await deps.access.authorize(principal, 'clusters', 'delete', '*');
  await removeWithAudit(
    deps,
    (tx) => tx.clusters.deleteByName(name),
    () =>
      new AppError('NOT_FOUND', `No cluster named "${name}".`, { hint: 'List clusters with `keelson cluster list`.' }),
    () => auditEntry(principal, 'cluster.remove', `cluster/${name}`),
  );
}
