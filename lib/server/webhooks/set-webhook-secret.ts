import { type TGitProvider, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../gitops/ports';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { auditEntry } from '../gitops/audit-entry';
import { WEBHOOK_SECRETS_OBJECT } from './list-webhook-secrets';

export async function setWebhookSecret(
  deps: GitopsDeps,
  box: SecretBox,
  principal: Principal,
  provider: TGitProvider,
  secret: string,
): Promise<TWebhookSecretStatus> {
  await deps.access.authorize(principal, 'repositories', 'update', WEBHOOK_SECRETS_OBJECT);
  const values = { sealedSecret: box.seal(secret), updatedBy: principal.username, updatedAt: deps.now() };
  await deps.gitops.transaction(async (tx) => {
    await tx.webhookSecrets.upsert({ provider, ...values });
    await tx.audit.record(auditEntry(principal, 'webhook-secret.set', `webhook-secret/${provider}`));
  });
  return { provider, configured: true, updatedBy: principal.username, updatedAt: values.updatedAt.toISOString() };
}
