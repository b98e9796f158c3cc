import { AppsList, type AppView } from '@/components/applications/apps-list';
import { NewAppDialog } from '@/components/applications/new-app-dialog';
import { PageHead } from '@/components/ui/page-head';
import type { AppFilter } from '@/lib/client/applications';
import { APP_HEALTH, SYNC_STATUSES, type TApplicationList } from '@/lib/schemas/applications';
import { one, serverApi } from './_lib/server-api';
import { requirePrincipal } from '@/lib/server/auth/require-principal';

export const metadata = { title: 'Applications' };
export const dynamic = 'force-dynamic';

const LIMIT = 48;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined) => values.find((x) => x === v);

export default async function ApplicationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePrincipal();
  const q = await searchParams;
  const filter: AppFilter = {
    health: oneOf(APP_HEALTH, one(q.health)),
    sync: oneOf(SYNC_STATUSES, one(q.sync)),
    cluster: one(q.cluster),
    namespace: one(q.namespace),
    search: one(q.search),
    limit: LIMIT,
    offset: Math.max(0, Number.parseInt(one(q.offset) ?? '0', 10) || 0),
  };
  const view: AppView = one(q.view) === 'table' ? 'table' : 'tiles';
  const query = new URLSearchParams({ limit: String(filter.limit), offset: String(filter.offset) });
  for (const k of ['health', 'sync', 'cluster', 'namespace', 'search'] as const) if (filter[k]) query.set(k, filter[k]);
  const initial = await serverApi<TApplicationList>(`/api/v1/applications?${query}`);
  return (
    <>
      <PageHead title="Applications" description="Git-backed deployments, their sync status and health." actions={<NewAppDialog />} />
      <AppsList initialFilter={filter} initialView={view} initial={initial} />
    </>
  );
}
