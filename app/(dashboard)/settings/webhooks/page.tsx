import { WebhooksPanel } from '@/components/settings/webhooks-panel';
import { deps } from '@/lib/server/context';
import { listWebhookSecrets } from '@/lib/server/webhooks/list-webhook-secrets';
import { settingsPage } from '../_lib/settings-page';

export const metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

export default settingsPage(
  '/settings/webhooks',
  'Git push webhooks refresh the applications that follow the pushed branch within seconds.',
  async () => <WebhooksPanel initial={(await listWebhookSecrets(deps())).items} />,
);
