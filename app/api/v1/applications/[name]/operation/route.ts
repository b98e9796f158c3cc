import { deps } from '@/lib/server/context';
import { terminateOperation } from '@/lib/server/gitops/applications/terminate-operation';
import { route } from '../../../../_lib/handler';

/** Terminate the running operation (as `argocd app terminate-op`). */
export const DELETE = route({ status: 202 }, async ({ params, principal }) => terminateOperation(deps(), principal, String(params.name)));
