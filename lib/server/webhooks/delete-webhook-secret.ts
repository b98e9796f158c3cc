import { eq } from 'drizzle-orm';
import { gitWebhookSecrets } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { type TGitProvider } from '@/lib/schemas/applications';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { auditEntry } from '../gitops/audit-entry';

export async function deleteWebhookSecret(deps: Deps, principal: Principal, provider: TGitProvider): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const gone = await tx
      .delete(gitWebhookSecrets)
      .where(eq(gitWebhookSecrets.provider, provider))
      .returning({ provider: gitWebhookSecrets.provider });
    if (gone.length === 0)
      throw new AppError('NOT_FOUND', `No webhook secret is set for ${provider}.`, {
        hint: 'See which are set with GET /api/v1/settings/webhooks.',
      });
    await recordAudit(
      { ...deps, db: tx },
      auditEntry(principal, 'webhook-secret.delete', `webhook-secret/${provider}`),
    );
  });
}
