import { z } from 'zod';
import { deps, webContext } from '@/lib/server/context';
import { cascadeParam, deleteApplication } from '@/lib/server/gitops/applications/delete-application';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { updateApplication } from '@/lib/server/gitops/applications/update-application';
import { repoHostPolicy } from '@/lib/server/gitops/gitops-context';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params, principal }) => getApplication(deps(), principal, String(params.name)));

export const PUT = route({ body: z.unknown() }, async ({ params, body, principal }) =>
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
export const DELETE = route({}, async ({ req, params, principal }) => {
  const outcome = await deleteApplication(
    deps(),
    principal,
    String(params.name),
    cascadeParam(req.nextUrl.searchParams.get('cascade')),
  );
  return 'deleting' in outcome ? Response.json(outcome, { status: 202 }) : undefined;
});
