/** The git providers' webhook secrets (Drizzle); implements the gitops WebhookSecretStore port. */
import { eq } from 'drizzle-orm';
import type { WebhookSecretStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { gitWebhookSecrets } from './schema';

export function createWebhookSecretStore(db: DbOrTx): WebhookSecretStore {
  return {
    list: () =>
      db
        .select({
          provider: gitWebhookSecrets.provider,
          updatedBy: gitWebhookSecrets.updatedBy,
          updatedAt: gitWebhookSecrets.updatedAt,
        })
        .from(gitWebhookSecrets),
    async sealed(provider) {
      const [row] = await db
        .select({ sealed: gitWebhookSecrets.sealedSecret })
        .from(gitWebhookSecrets)
        .where(eq(gitWebhookSecrets.provider, provider));
      return row?.sealed;
    },
    async upsert({ provider, ...values }) {
      await db
        .insert(gitWebhookSecrets)
        .values({ provider, ...values })
        .onConflictDoUpdate({ target: gitWebhookSecrets.provider, set: values });
    },
    async delete(provider) {
      const gone = await db
        .delete(gitWebhookSecrets)
        .where(eq(gitWebhookSecrets.provider, provider))
        .returning({ provider: gitWebhookSecrets.provider });
      return gone.length > 0;
    },
  };
}
