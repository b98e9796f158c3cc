import type { ReactNode } from 'react';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { PageHead } from '@/components/ui/page-head';
import type { Principal } from '@/lib/server/principal';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

/**
 * A Settings tab page: signed in, the "Settings" head with this tab's description, the tabs, then
 * the body the server component reads in-process for the principal.
 */
export function settingsPage(tab: string, description: string, body: (principal: Principal) => Promise<ReactNode>) {
  return async function SettingsTabPage() {
    const principal = await requirePrincipal();
    const content = await body(principal);
    return (
      <>
        <PageHead title="Settings" description={description} />
        <SettingsTabs current={tab} />
        {content}
      </>
    );
  };
}
