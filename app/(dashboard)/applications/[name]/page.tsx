import { AppDetail } from '@/components/applications/app-detail';
import type { TApplication } from '@/lib/schemas/applications';
import { serverApi } from '../_lib/server-api';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: decodeURIComponent((await params).name) };
}

export default async function ApplicationPage({ params }: { params: Promise<{ name: string }> }) {
  await requirePrincipal();
  const name = decodeURIComponent((await params).name);
  const initial = await serverApi<TApplication>(`/api/v1/applications/${encodeURIComponent(name)}`);
  return <AppDetail name={name} initial={initial ?? undefined} />;
}
