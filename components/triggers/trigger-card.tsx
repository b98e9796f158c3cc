'use client';
import Link from 'next/link';
import type { TTriggerDelivery, TTriggerSummary } from '@/lib/schemas/triggers';
import { DeliveriesTable } from './deliveries-table';
import { DeliveryOutcome } from './delivery-outcome';
import { WebhookUrl } from './webhook-url';
import { Ago } from '../ui/ago';

const PROVIDER = {
  github: { label: 'GitHub', how: 'Content type application/json; the secret signs each body (X-Hub-Signature-256).' },
  gitlab: { label: 'GitLab', how: 'The secret is sent as the X-Gitlab-Token header.' },
} as const;

function Chips({ values, all }: { values: string[]; all: string }) {
  if (values.length === 0) return <span className="muted">{all}</span>;
  return (
    <>
      {values.map((v) => (
        <span key={v} className="chip">
          {v}
        </span>
      ))}
    </>
  );
}

export function TriggerCard({
  trigger,
  initialDeliveries,
}: {
  trigger: TTriggerSummary;
  initialDeliveries?: TTriggerDelivery[];
}) {
  const provider = PROVIDER[trigger.provider];
  const last = trigger.lastDelivery;
  return (
    <section className="card trigger-card" aria-label={`Trigger ${trigger.name}`}>
      <div className="card-head">
        <h2>
          <span className="mono" style={{ fontSize: 15 }}>
            {trigger.name}
          </span>
          <span className="provider-tag">{provider.label}</span>
        </h2>
        <span
          className="muted"
          style={{ fontSize: 13, display: 'inline-flex', alignItems: 'center', gap: 8 }}
          suppressHydrationWarning
        >
          {last ? (
            <>
              last delivery <Ago at={last.receivedAt} /> <DeliveryOutcome outcome={last.outcome} />
            </>
          ) : (
            'never called'
          )}
        </span>
      </div>
      <dl className="kv trigger-kv">
        <dt>Webhook URL</dt>
        <dd style={{ fontFamily: 'inherit', whiteSpace: 'normal' }}>
          <WebhookUrl path={trigger.webhookPath} />
        </dd>
        <dt>Provider</dt>
        <dd style={{ fontFamily: 'inherit', whiteSpace: 'normal' }}>
          {provider.label} <span className="muted">· secret from Secret </span>
          <span className="mono">
            {trigger.secretRef.name}/{trigger.secretRef.key}
          </span>
          <span className="muted"> · {provider.how}</span>
        </dd>
        <dt>Project</dt>
        <dd style={{ fontFamily: 'inherit', whiteSpace: 'normal' }}>
          <span className="mono">{trigger.project}</span>
          <span className="muted">
            {' '}
            · runs as{' '}
            {trigger.serviceAccountName
              ? `role ${trigger.serviceAccountName} (proj:${trigger.project}:${trigger.serviceAccountName})`
              : 'its implicit service account (starts runs of this project only)'}
          </span>
        </dd>
        <dt>Pipeline</dt>
        <dd style={{ fontFamily: 'inherit' }}>
          <Link
            href={`/pipelines/${encodeURIComponent(trigger.pipeline)}`}
            className="mono"
            style={{ fontWeight: 600 }}
          >
            {trigger.pipeline}
          </Link>
        </dd>
        <dt>Events</dt>
        <dd style={{ fontFamily: 'inherit' }}>
          <Chips values={trigger.filter.events} all="every event" />
        </dd>
        <dt>Branches</dt>
        <dd style={{ fontFamily: 'inherit' }}>
          <Chips values={trigger.filter.branches} all="every branch" />
        </dd>
      </dl>
      <DeliveriesTable trigger={trigger.name} initial={initialDeliveries} />
    </section>
  );
}
