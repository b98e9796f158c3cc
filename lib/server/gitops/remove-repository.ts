import { displayRepoUrl, normalizeRepoUrl } from '@/lib/adapters/git';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';
import { removeWithAudit } from './remove-with-audit';

export async function removeRepository(
  deps: Pick<GitopsDeps, 'gitops'>,
  principal: Principal,
  url: string,
): Promise<void> {
  await removeWithAudit(
    deps,
    (tx) => tx.repositories.deleteByNormalizedUrl(normalizeRepoUrl(url)),
    () =>
      new AppError('NOT_FOUND', `No repository ${displayRepoUrl(url)}.`, {
        hint: 'List repositories with `keelson repo list`.',
      }),
    (gone) => auditEntry(principal, 'repository.remove', `repository/${gone}`),
  );
}
