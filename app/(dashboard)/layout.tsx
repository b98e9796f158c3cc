import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { Providers } from '@/components/ui/providers';
import { AppShell } from '@/components/ui/app-shell';
import { principalFromCookies } from '@/lib/server/auth/current-principal';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const principal = await principalFromCookies(await cookies());
  if (!principal) redirect('/login');
  return (
    <Providers>
      <AppShell user={{ username: principal.username, name: principal.name, via: principal.via }}>{children}</AppShell>
    </Providers>
  );
}
