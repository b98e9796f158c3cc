import { ZSyncRequest } from '@/lib/schemas/applications';
import { deps } from '@/lib/server/context';
import { requestSync } from '@/lib/server/gitops/applications/request-sync';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { body: ZSyncRequest.nullable().transform((b) => b ?? ZSyncRequest.parse({})), status: 202 },
  async ({ params, body, principal }) => requestSync(deps(), principal, String(params.name), body),
);
