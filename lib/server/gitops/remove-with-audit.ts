import type { AppError } from '@/lib/errors';
import type { AuditEntry } from '../audit';
import type { GitopsDeps, GitopsUnit } from './ports';

/**
 * Removes one registered record (a cluster, a repository, a webhook secret) and writes its audit row in the
 * same transaction; `remove` answers what was removed, or false/undefined when there was none: then `missing`.
 */
export async function removeWithAudit<T>(
  deps: Pick<GitopsDeps, 'gitops'>,
  remove: (tx: GitopsUnit) => Promise<T | false | undefined>,
  missing: () => AppError,
  audit: (gone: T) => AuditEntry,
): Promise<void> {
  await deps.gitops.transaction(async (tx) => {
    const gone = await remove(tx);
    if (gone === false || gone === undefined) throw missing();
    await tx.audit.record(audit(gone));
  });
}
