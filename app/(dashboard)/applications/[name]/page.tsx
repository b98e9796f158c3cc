import { AppDetail } from '@/components/applications/app-detail';
import { AppError } from '@/lib/errors';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { nameMetadata, pageName, type NamedPageProps } from '../../_lib/named-page';

export const dynamic = 'force-dynamic';

export async function generateMetadata(props: NamedPageProps) {
  return nameMetadata(props);
}

export default async function ApplicationPage(props: NamedPageProps) {
  const principal = await requirePrincipal();
  const name = await pageName(props);
  // No such app: the client query asks again and shows "No application <name>".
  const initial = await getApplication(deps(), principal, name).catch((err: unknown) => {
    if (err instanceof AppError && err.code === 'NOT_FOUND') return undefined;
    throw err;
  });
  return <AppDetail name={name} initial={initial} />;
}
