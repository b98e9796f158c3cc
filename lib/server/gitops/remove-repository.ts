import { displayRepoUrl, normalizeRepoUrl } from '@/lib/adapters/git';
import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';
import type { GitopsDeps } from './ports';
import { removeWithAudit } from './remove-with-audit';

/** Removes a repository: `repositories, delete, <repo URL>`. */
export async function removeRepository(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  url: string,
): Promise<void> {
  const stored = (await deps.gitops.repositories.list()).find((r) => r.normalizedUrl === normalizeRepoUrl(url));
  await deps.access.authorize(principal, 'repositories', 'delete', stored?.url ?? displayRepoUrl(url));
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
