import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps } from '@/lib/server/context';
import { listWebhookSecrets } from '@/lib/server/webhooks/list-webhook-secrets';
import { route } from '../../../_lib/handler';

export const GET = route({ contract: gitopsContracts['/api/v1/settings/webhooks'].get }, async ({ principal }) =>
  listWebhookSecrets(deps(), principal),
);
