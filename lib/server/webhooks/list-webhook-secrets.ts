import { GIT_PROVIDERS, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';
import type { Principal } from '../principal';

/**
 * The Git webhook secrets belong to no project (Argo CD keeps them in argocd-secret): reading whether they are
 * set is `repositories, get, *`, changing them `repositories, update, *` (role:admin).
 */
export const WEBHOOK_SECRETS_OBJECT = '*';

/** Whether each provider has a secret; the secret itself never leaves the server. */
export async function listWebhookSecrets(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
): Promise<{ items: TWebhookSecretStatus[] }> {
  await deps.access.authorize(principal, 'repositories', 'get', WEBHOOK_SECRETS_OBJECT);
  const rows = await deps.gitops.webhookSecrets.list();
  const items = GIT_PROVIDERS.map((provider) => {
    const row = rows.find((r) => r.provider === provider);
    return row
      ? { provider, configured: true, updatedBy: row.updatedBy, updatedAt: row.updatedAt.toISOString() }
      : { provider, configured: false };
  });
  return { items };
}
