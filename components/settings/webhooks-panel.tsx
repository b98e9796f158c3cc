'use client';
import { useState } from 'react';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import { useRemoveWebhookSecret, useSetWebhookSecret, useWebhookSecrets } from '@/lib/client/gitops-settings';
import type { TWebhookSecret } from '@/lib/schemas/gitops';
import type { TGitProvider } from '@/lib/schemas/applications';
import { ErrorAlert } from '../ui/error-alert';
import { WebhookUrl } from '../triggers/webhook-url';
import '../triggers/triggers.css';
import './gitops-settings.css';
import { ConfirmButton } from './settings-panel';
import { Ago } from '../ui/ago';

const PROVIDERS: Record<TGitProvider, { label: string; where: string; header: string }> = {
  github: {
    label: 'GitHub',
    where: 'Repository → Settings → Webhooks → Add webhook; content type application/json, event “push”.',
    header: 'X-Hub-Signature-256 (HMAC)',
  },
  gitlab: { label: 'GitLab', where: 'Project → Settings → Webhooks; trigger “Push events”.', header: 'X-Gitlab-Token' },
  bitbucket: {
    label: 'Bitbucket',
    where: 'Repository settings → Webhooks → Add webhook; trigger “Repository push”.',
    header: 'X-Hub-Signature (HMAC)',
  },
};

/** Git webhook secrets belong to no project: changing them is `repositories, update, *` (role:admin). */
const CHANGE = { resource: 'repositories', action: 'update', object: '*' } as const;

function ProviderRow({ item, allowed }: { item: TWebhookSecret; allowed: boolean }) {
  const set = useSetWebhookSecret();
  const remove = useRemoveWebhookSecret();
  const [secret, setSecret] = useState('');
  const p = PROVIDERS[item.provider];
  return (
    <section className="card webhook-provider" aria-label={p.label} data-testid={`webhook-${item.provider}`}>
      <div className="wp-head">
        <h2>{p.label}</h2>
        {item.configured ? (
          <span className="wp-state wp-on">
            Secret set
            {item.updatedAt ? (
              <>
                {' '}
                · <Ago at={item.updatedAt} />
              </>
            ) : null}
          </span>
        ) : (
          <span className="wp-state">Not configured</span>
        )}
      </div>
      <p className="field-hint">
        {p.where} Signed with <code>{p.header}</code>.
      </p>
      <ErrorAlert error={set.error ?? remove.error} />
      <form
        className="wp-form"
        onSubmit={(e) => {
          e.preventDefault();
          set.mutate({ provider: item.provider, secret }, { onSuccess: () => setSecret('') });
        }}
      >
        <input
          className="input"
          type="password"
          autoComplete="new-password"
          aria-label={`${p.label} secret`}
          placeholder={item.configured ? 'New secret (replaces the current one)' : 'Secret, at least 8 characters'}
          value={secret}
          disabled={!allowed}
          onChange={(e) => setSecret(e.target.value)}
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!allowed || set.isPending || secret.length === 0}
          title={allowed ? undefined : notAllowedTitle('change', 'webhook secret')}
        >
          {item.configured ? 'Replace secret' : 'Set secret'}
        </button>
        {item.configured ? (
          <ConfirmButton
            disabled={!allowed || remove.isPending}
            question={`Remove the ${p.label} secret? Its pushes will be refused.`}
            onConfirm={() => remove.mutate(item.provider)}
          >
            Remove
          </ConfirmButton>
        ) : null}
      </form>
    </section>
  );
}

/** Settings → Webhooks: one secret per Git provider; a verified push refreshes the apps that follow the pushed branch. */
export function WebhooksPanel({ initial }: { initial: TWebhookSecret[] }) {
  const { data: items = initial, error } = useWebhookSecrets(initial);
  const canI = useCanI([CHANGE]);
  const allowed = canI.can(CHANGE.resource, CHANGE.action, CHANGE.object);
  return (
    <div className="settings-stack">
      <section className="card">
        <h2>Webhook URL</h2>
        <WebhookUrl path="/api/webhooks/git" />
        <p className="field-hint" style={{ marginBottom: 0 }}>
          Paste this URL into the repository&apos;s webhook settings with the same secret as below. A push refreshes
          every app whose repository and branch match, at once instead of on the next poll. Unsigned or wrongly signed
          calls get 401 and refresh nothing.
        </p>
      </section>
      <ErrorAlert error={error} plain />
      {items.map((item) => (
        <ProviderRow key={item.provider} item={item} allowed={allowed} />
      ))}
    </div>
  );
}
