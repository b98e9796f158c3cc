import type { ReactNode } from 'react';
import { Providers } from '@/components/ui/providers';
import { AppShell } from '@/components/ui/app-shell';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await requirePrincipal();
  return (
    <Providers>
      <AppShell user={{ username: principal.username, name: principal.name, via: principal.via }}>{children}</AppShell>
    </Providers>
  );
}
