import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps } from '@/lib/server/context';
import { unpinApplication } from '@/lib/server/gitops/applications/unpin-application';
import { route } from '../../../../_lib/handler';

export const POST = route(
  { contract: applicationContracts['/api/v1/applications/{name}/unpin'].post },
  async ({ params, principal }) => unpinApplication(deps(), principal, String(params.name)),
);
