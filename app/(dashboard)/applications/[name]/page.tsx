import { AppDetail } from '@/components/applications/app-detail';
import { AppError } from '@/lib/errors';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { decodeSegment } from '@/lib/domain/http/decode-segment';

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: decodeSegment((await params).name) };
}

export default async function ApplicationPage({ params }: { params: Promise<{ name: string }> }) {
  await requirePrincipal();
  const name = decodeSegment((await params).name);
  // No such app: the client query asks again and shows "No application <name>".
  const initial = await getApplication(deps(), name).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  return <AppDetail name={name} initial={initial} />;
}
