import { gitWebhookSecrets } from '@/lib/adapters/db/schema';
import { GIT_PROVIDERS, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import type { Deps } from '../deps';

/** Whether each provider has a secret; the secret itself never leaves the server. */
export async function listWebhookSecrets(deps: Pick<Deps, 'db'>): Promise<{ items: TWebhookSecretStatus[] }> {
  const rows = await deps.db
    .select({
      provider: gitWebhookSecrets.provider,
      updatedBy: gitWebhookSecrets.updatedBy,
      updatedAt: gitWebhookSecrets.updatedAt,
    })
    .from(gitWebhookSecrets);
  const items = GIT_PROVIDERS.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return row
      ? { provider, configured: true, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() }
      : { provider, configured: false };
  });
  return { items };
}
