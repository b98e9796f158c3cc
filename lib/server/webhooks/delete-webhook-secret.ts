import { AppError } from '@/lib/errors';
import { type TGitProvider } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';
import { removeWithAudit } from '../gitops/remove-with-audit';
import type { Principal } from '../principal';
import { auditEntry } from '../gitops/audit-entry';
import { WEBHOOK_SECRETS_OBJECT } from './list-webhook-secrets';

export async function deleteWebhookSecret(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  provider: TGitProvider,
): Promise<void> {
  await deps.access.authorize(principal, 'repositories', 'update', WEBHOOK_SECRETS_OBJECT);
  await removeWithAudit(
    deps,
    (tx) => tx.webhookSecrets.delete(provider),
    () =>
      new AppError('NOT_FOUND', `No webhook secret is set for ${provider}.`, {
        hint: 'See which are set with GET /api/v1/settings/webhooks.',
      }),
    () => auditEntry(principal, 'webhook-secret.delete', `webhook-secret/${provider}`),
  );
}
