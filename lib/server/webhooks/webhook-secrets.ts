import { eq } from 'drizzle-orm';
import { gitWebhookSecrets } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { GIT_PROVIDERS, type TGitProvider, type TWebhookSecretStatus } from '@/lib/schemas/applications';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import type { SecretBox } from '../security/secret-box';

export function parseProvider(value: string): TGitProvider {
  const provider = GIT_PROVIDERS.find((p) => p === value);
  if (!provider)
    throw new AppError('BAD_REQUEST', `Unknown Git provider "${value}".`, {
      issues: [{ path: 'provider', message: `use one of ${GIT_PROVIDERS.join(', ')}` }],
      hint: `Providers: ${GIT_PROVIDERS.join(', ')}.`,
    });
  return provider;
}

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
    await recordAudit(
      { ...deps, db: tx },
      {
        actor: principal.username,
        action: 'webhook-secret.set',
        target: `webhook-secret/${provider}`,
        result: 'success',
      },
    );
  });
  return { provider, configured: true, updatedBy: principal.username, updatedAt: values.updatedAt.toISOString() };
}

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
      {
        actor: principal.username,
        action: 'webhook-secret.delete',
        target: `webhook-secret/${provider}`,
        result: 'success',
      },
    );
  });
}

/** The provider's secret in clear, for signature checks; undefined when none is set. */
export async function webhookSecretFor(
  deps: Pick<Deps, 'db'>,
  box: SecretBox,
  provider: TGitProvider,
): Promise<string | undefined> {
  const [row] = await deps.db
    .select({ sealed: gitWebhookSecrets.sealedSecret })
    .from(gitWebhookSecrets)
    .where(eq(gitWebhookSecrets.provider, provider));
  return row ? box.open(row.sealed) : undefined;
}
