import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps, secrets } from '@/lib/server/context';
import { deleteWebhookSecret } from '@/lib/server/webhooks/delete-webhook-secret';
import { parseProvider } from '@/lib/server/webhooks/parse-provider';
import { setWebhookSecret } from '@/lib/server/webhooks/set-webhook-secret';
import { route } from '../../../../_lib/handler';

const C = gitopsContracts['/api/v1/settings/webhooks/{provider}'];

export const PUT = route({ contract: C.put }, async ({ params, body, principal }) =>
  setWebhookSecret(deps(), secrets(), principal, parseProvider(String(params.provider)), body.secret),
);

export const DELETE = route({ contract: C.delete }, async ({ params, principal }) =>
  deleteWebhookSecret(deps(), principal, parseProvider(String(params.provider))),
);
