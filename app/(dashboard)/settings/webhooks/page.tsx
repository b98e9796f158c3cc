import { SettingsTabs } from '@/components/settings/settings-tabs';
import { WebhooksPanel } from '@/components/settings/webhooks-panel';
import { PageHead } from '@/components/ui/page-head';
import type { TWebhookSecret } from '@/lib/client/gitops-settings';
import { GIT_PROVIDERS } from '@/lib/schemas/applications';
import { serverApi } from '../../applications/_lib/server-api';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Webhooks' };
export const dynamic = 'force-dynamic';

export default async function WebhooksPage() {
  await requirePrincipal();
  const list = await serverApi<{ items: TWebhookSecret[] }>('/api/v1/settings/webhooks');
  const initial = list?.items ?? GIT_PROVIDERS.map((provider) => ({ provider, configured: false }));
  return (
    <>
      <PageHead title="Settings" description="Git push webhooks refresh the applications that follow the pushed branch within seconds." />
      <SettingsTabs current="/settings/webhooks" />
      <WebhooksPanel initial={initial} />
    </>
  );
}
