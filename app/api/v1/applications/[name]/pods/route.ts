import { podLogDeps } from '@/lib/server/context';
import { listAppPods } from '@/lib/server/gitops/app-pods';
import { parsePodQuery } from '@/lib/server/gitops/pod-log-query';
import { ZPodsQuery } from '@/lib/schemas/pod-logs';
import { route } from '../../../../_lib/handler';

export const dynamic = 'force-dynamic';

/** The pods of one resource of the app (a Pod, or a workload's pods), newest first, with their containers. */
export const GET = route({}, async ({ req, params, principal }) => {
  const query = parsePodQuery(ZPodsQuery, req.nextUrl.searchParams);
  return listAppPods(podLogDeps(), principal, String(params.name), query);
});
