import { GIT_PROVIDERS, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';

/** Whether each provider has a secret; the secret itself never leaves the server. */
export async function listWebhookSecrets(deps: Pick<GitopsDeps, 'gitops'>): Promise<{ items: TWebhookSecretStatus[] }> {
  const rows = await deps.gitops.webhookSecrets.list();
  const items = GIT_PROVIDERS.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return row
      ? { provider, configured: true, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() }
      : { provider, configured: false };
  });
  return { items };
}
