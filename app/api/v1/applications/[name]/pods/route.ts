import { podLogDeps } from '@/lib/server/context';
import { listAppPods } from '@/lib/server/gitops/app-pods';
import { podLogContracts } from '@/lib/schemas/contracts/pod-logs';
import { route } from '../../../../_lib/handler';

export const dynamic = 'force-dynamic';

/** The pods of one resource of the app (a Pod, or a workload's pods), newest first, with their containers. */
export const GET = route(
  { contract: podLogContracts['/api/v1/applications/{name}/pods'].get },
  async ({ query, params, principal }) => listAppPods(podLogDeps(), principal, String(params.name), query),
);
