import { AppsList, type AppView } from '@/components/applications/apps-list';
import { NewAppDialog } from '@/components/applications/new-app-dialog';
import { PageHead } from '@/components/ui/page-head';
import type { AppFilter } from '@/lib/client/applications';
import { APP_HEALTH, SYNC_STATUSES, ZListApplicationsQuery } from '@/lib/schemas/applications';
import { requirePrincipal } from '@/lib/server/auth/require-principal';
import { deps } from '@/lib/server/context';
import { canCreateApplications } from '@/lib/server/gitops/applications/can-create-applications';
import { listApplications } from '@/lib/server/gitops/applications/list-applications';

export const metadata = { title: 'Applications' };
export const dynamic = 'force-dynamic';

const LIMIT = 48;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined) => values.find((x) => x === v);

export default async function ApplicationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const principal = await requirePrincipal();
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
  // Read in-process, never through our own URL: a server-side fetch built from request headers is an SSRF.
  // Filters the API would refuse (a search over 200 characters) leave the first page to the client query.
  const query = ZListApplicationsQuery.safeParse(filter);
  const d = deps();
  const [initial, mayCreate] = await Promise.all([
    query.success ? listApplications(d, principal, query.data) : null,
    canCreateApplications(d, principal),
  ]);
  return (
    <>
      <PageHead
        title="Applications"
        description="Git-backed deployments, their sync status and health."
        actions={mayCreate ? <NewAppDialog /> : null}
      />
      <AppsList initialFilter={filter} initialView={view} initial={initial} />
    </>
  );
}
