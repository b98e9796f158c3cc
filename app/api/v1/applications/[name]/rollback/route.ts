import { ZRollbackRequest } from '@/lib/schemas/applications';
import { deps } from '@/lib/server/context';
import { rollbackApplication } from '@/lib/server/gitops/applications/rollback-application';
import { route } from '../../../../_lib/handler';

export const POST = route({ body: ZRollbackRequest, status: 202 }, async ({ params, body, principal }) =>
  rollbackApplication(deps(), principal, String(params.name), body),
);
