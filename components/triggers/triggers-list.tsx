'use client';
import { useTriggers } from '@/lib/client/triggers';
import type { TTriggerDelivery, TTriggerSummary } from '@/lib/schemas/triggers';
import { EmptyState } from '../ui/empty-state';
import { TriggerCard } from './trigger-card';
import '../pipelines/pipelines.css';
import './triggers.css';

const EXAMPLE = `apiVersion: v1
kind: Secret
metadata: { name: webhook }
stringData: { token: <the webhook secret> }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: on-push }
spec:
  pipelineRef: { name: build }
  provider: github          # or gitlab
  secretRef: { name: webhook, key: token }
  filter: { events: [push], branches: [main] }
  params:
    - { name: revision, value: $(body.head_commit.id) }

# keelson apply -f trigger.yaml`;

/** Every Trigger as a card with its endpoint and live deliveries; the list itself refreshes too. */
export function TriggersList({
  initial,
  initialDeliveries,
}: {
  initial: TTriggerSummary[];
  initialDeliveries: Record<string, TTriggerDelivery[]>;
}) {
  const { data: triggers } = useTriggers(initial);
  if (triggers.length === 0) {
    return (
      <EmptyState icon="pipelines" title="No triggers yet" example={EXAMPLE}>
        A Trigger gives a pipeline a webhook URL for GitHub or GitLab. Apply one with <code>keelson apply -f</code> (or
        POST it to <code>/api/v1/apply</code>), in the same file as the Secret holding the webhook secret; it appears
        here with its URL, and every delivery is recorded with its outcome.
      </EmptyState>
    );
  }
  return (
    <div className="trigger-list">
      {triggers.map((t) => (
        <TriggerCard key={t.name} trigger={t} initialDeliveries={initialDeliveries[t.name]} />
      ))}
    </div>
  );
}
