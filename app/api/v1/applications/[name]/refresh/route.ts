import { ZRefreshRequest } from '@/lib/schemas/applications';
import { deps } from '@/lib/server/context';
import { requestRefresh } from '@/lib/server/gitops/applications/request-refresh';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { body: ZRefreshRequest.nullable().transform((b) => b ?? { hard: false }), status: 202 },
  async ({ params, body, principal }) => requestRefresh(deps(), principal, String(params.name), body.hard),
);
