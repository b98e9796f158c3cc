import { SettingsTabs } from '@/components/settings/settings-tabs';
import { WebhooksPanel } from '@/components/settings/webhooks-panel';
import { PageHead } from '@/components/ui/page-head';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { listWebhookSecrets } from '@/lib/server/webhooks/list-webhook-secrets';

export const metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

export default async function WebhooksPage() {
  await requirePrincipal();
  const { items: initial } = await listWebhookSecrets(deps());
  return (
    <>
      <PageHead
        title="Settings"
        description="Git push webhooks refresh the applications that follow the pushed branch within seconds."
      />
      <SettingsTabs current="/settings/webhooks" />
      <WebhooksPanel initial={initial} />
    </>
  );
}
