import { redirect } from 'next/navigation';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const dynamic = 'force-dynamic';

export default async function SettingsPage() {
  await requirePrincipal();
  redirect('/settings/tokens');
}
