import { deps } from '@/lib/server/context';
import { listWebhookSecrets } from '@/lib/server/webhooks/list-webhook-secrets';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ principal }) => listWebhookSecrets(deps(), principal));
