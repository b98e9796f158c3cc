import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { rollbackApplication } from '@/lib/server/gitops/applications/rollback-application';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: applicationContracts['/api/v1/applications/{name}/rollback'].post, status: 202 },
  async ({ params, body, principal }) => rollbackApplication(deps(), principal, String(params.name), body),
);
