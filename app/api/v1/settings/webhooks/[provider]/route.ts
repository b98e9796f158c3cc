import { ZSetWebhookSecret } from '@/lib/schemas/applications';
import { deps, secrets } from '@/lib/server/context';
import { deleteWebhookSecret } from '@/lib/server/webhooks/delete-webhook-secret';
import { parseProvider } from '@/lib/server/webhooks/parse-provider';
import { setWebhookSecret } from '@/lib/server/webhooks/set-webhook-secret';
import { route } from '../../../../_lib/handler';

export const PUT = route({ body: ZSetWebhookSecret }, async ({ params, body, principal }) =>
  setWebhookSecret(deps(), secrets(), principal, parseProvider(String(params.provider)), body.secret),
);

export const DELETE = route({}, async ({ params, principal }) =>
  deleteWebhookSecret(deps(), principal, parseProvider(String(params.provider))),
);
