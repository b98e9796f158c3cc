import { ZSetWebhookSecret } from '@/lib/schemas/applications';
import { deps, secrets } from '@/lib/server/context';
import { deleteWebhookSecret, parseProvider, setWebhookSecret } from '@/lib/server/webhooks/webhook-secrets';
import { route } from '../../../../_lib/handler';

export const PUT = route({ body: ZSetWebhookSecret }, async ({ params, body, principal }) =>
  setWebhookSecret(deps(), secrets(), principal, parseProvider(String(params.provider)), body.secret),
);

export const DELETE = route({}, async ({ params, principal }) =>
  deleteWebhookSecret(deps(), principal, parseProvider(String(params.provider))),
);
