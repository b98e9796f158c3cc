import type { ReactNode } from 'react';
import { SettingsTabs } from '@/components/settings/settings-tabs';
import { PageHead } from '@/components/ui/page-head';

/**
 * What every Settings tab draws around its body: the "Settings" head with the tab's description, then the
 * tabs. Drawing only: each page checks the principal itself before it reads anything.
 */
export function SettingsShell({
  tab,
  description,
  children,
}: {
  tab: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <>
      <PageHead title="Settings" description={description} />
      <SettingsTabs current={tab} />
      {children}
    </>
  );
}
