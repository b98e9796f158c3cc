import { displayRepoUrl, normalizeRepoUrl } from '@/lib/adapters/git';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';

export async function removeRepository(
  deps: Pick<GitopsDeps, 'gitops'>,
  principal: Principal,
  url: string,
): Promise<void> {
  await deps.gitops.transaction(async (tx) => {
    const gone = await tx.repositories.deleteByNormalizedUrl(normalizeRepoUrl(url));
    if (gone === undefined)
      throw new AppError('NOT_FOUND', `No repository ${displayRepoUrl(url)}.`, {
        hint: 'List repositories with `keelson repo list`.',
      });
    await tx.audit.record(auditEntry(principal, 'repository.remove', `repository/${gone}`));
  });
}
