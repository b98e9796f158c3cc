import { DELIVERY_LIMIT } from '@/components/triggers/delivery-limit';
import { TriggersList } from '@/components/triggers/triggers-list';
import { deps } from '@/lib/server/context';
import { listDeliveries, listTriggers } from '@/lib/server/pipeline/list-triggers';
import { settingsPage } from '../_lib/settings-page';

export const metadata = { title: 'Triggers' };
export const dynamic = 'force-dynamic';

export default settingsPage(
  '/settings/triggers',
  'Webhook triggers start pipelines from GitHub and GitLab; every delivery is recorded with its outcome.',
  async () => {
    const triggers = await listTriggers(deps());
    const deliveries = await Promise.all(
      triggers.map(async (t) => [t.name, await listDeliveries(deps(), t.name, DELIVERY_LIMIT)] as const),
    );
    return <TriggersList initial={triggers} initialDeliveries={Object.fromEntries(deliveries)} />;
  },
);
