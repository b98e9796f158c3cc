import { createHmac } from 'node:crypto';

/**
 * The Secret `hook` (key `token`) and a GitHub Trigger `on-push` on Pipeline `build` for push events to main,
 * as YAML documents to append to a Pipeline's; `params` are the trigger's param lines, indented by four.
 */
export const hookSecretAndPushTrigger = (secret: string, params: string) => `---
apiVersion: v1
kind: Secret
metadata: { name: hook }
stringData: { token: ${secret} }
---
apiVersion: keelson.dev/v1alpha1
kind: Trigger
metadata: { name: on-push }
spec:
  pipelineRef: { name: build }
  provider: github
  secretRef: { name: hook, key: token }
  filter: { events: [push], branches: [main] }
  params:
${params}`;

/** A push payload for `ref` with a fixed head commit. */
export const pushPayload = (ref: string) => JSON.stringify({ ref, head_commit: { id: 'abc123' } });

/** GitHub's headers for a push delivery of `body`, signed with `secret`. */
export const signedPush = (body: string, deliveryId: string, secret: string) => ({
  'x-github-event': 'push',
  'x-github-delivery': deliveryId,
  'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
});
