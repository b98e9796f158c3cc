import { gitWebhookSecrets } from '@/lib/adapters/db/schema';
import { type TGitProvider, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';
import { auditEntry } from '../gitops/audit-entry';

export async function setWebhookSecret(
  deps: Deps,
  box: SecretBox,
  principal: Principal,
  provider: TGitProvider,
  secret: string,
): Promise<TWebhookSecretStatus> {
  const values = { sealedSecret: box.seal(secret), updatedBy: principal.username, updatedAt: deps.now() };
  await deps.db.transaction(async (tx) => {
    await tx
      .insert(gitWebhookSecrets)
      .values({ provider, ...values })
      .onConflictDoUpdate({ target: gitWebhookSecrets.provider, set: values });
    await recordAudit({ ...deps, db: tx }, auditEntry(principal, 'webhook-secret.set', `webhook-secret/${provider}`));
  });
  return { provider, configured: true, updatedBy: principal.username, updatedAt: values.updatedAt.toISOString() };
}
