import { eq } from 'drizzle-orm';
import { repositories } from '@/lib/adapters/db/schema';
import { displayRepoUrl, normalizeRepoUrl } from '@/lib/adapters/git';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { auditEntry } from './audit-entry';

export async function removeRepository(deps: Deps, principal: Principal, url: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const gone = await tx
      .delete(repositories)
      .where(eq(repositories.normalizedUrl, normalizeRepoUrl(url)))
      .returning({ url: repositories.url });
    if (gone.length === 0)
      throw new AppError('NOT_FOUND', `No repository ${displayRepoUrl(url)}.`, {
        hint: 'List repositories with `keelson repo list`.',
      });
    await recordAudit({ ...deps, db: tx }, auditEntry(principal, 'repository.remove', `repository/${gone[0].url}`));
  });
}
