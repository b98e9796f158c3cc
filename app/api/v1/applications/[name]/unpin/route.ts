import { deps } from '@/lib/server/context';
import { unpinApplication } from '@/lib/server/gitops/applications/unpin-application';
import { route } from '../../../../_lib/handler';

export const POST = route({}, async ({ params, principal }) =>
  unpinApplication(deps(), principal, String(params.name)),
);
