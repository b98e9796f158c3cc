import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps, webContext } from '@/lib/server/context';
import { cascadeParam, deleteApplication } from '@/lib/server/gitops/applications/delete-application';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { updateApplication } from '@/lib/server/gitops/applications/update-application';
import { repoHostPolicy } from '@/lib/server/gitops/gitops-context';
import { route } from '../../../_lib/handler';

const C = applicationContracts['/api/v1/applications/{name}'];

export const GET = route({ contract: C.get }, async ({ params, principal }) =>
  getApplication(deps(), principal, String(params.name)),
);

export const PUT = route({ contract: C.put }, async ({ params, body, principal }) =>
  updateApplication(
    deps(),
    principal,
    String(params.name),
    body,
    repoHostPolicy(undefined, webContext().env),
    webContext().jq,
  ),
);

/** As Argo CD: cascade unless ?cascade=false. Cascade: the controller deletes the objects first (202); without, the row goes at once (204). */
export const DELETE = route({ contract: C.delete }, async ({ query, params, principal }) => {
  const outcome = await deleteApplication(deps(), principal, String(params.name), cascadeParam(query.cascade));
  return 'deleting' in outcome ? Response.json(outcome, { status: 202 }) : undefined;
});
