import { z } from 'zod';
import { deps } from '@/lib/server/context';
import { deleteApplication } from '@/lib/server/gitops/applications/delete-application';
import { getApplication } from '@/lib/server/gitops/applications/get-application';
import { updateApplication } from '@/lib/server/gitops/applications/update-application';
import { allowLocalRepos } from '@/lib/server/gitops/gitops-context';
import { route } from '../../../_lib/handler';

export const GET = route({}, async ({ params }) => getApplication(deps(), String(params.name)));

export const PUT = route({ body: z.unknown() }, async ({ params, body, principal }) => updateApplication(deps(), principal, String(params.name), body, allowLocalRepos()));

/** Without ?cascade=true the row goes at once (204); with it the controller deletes the objects first (202). */
export const DELETE = route({}, async ({ req, params, principal }) => {
  const outcome = await deleteApplication(deps(), principal, String(params.name), req.nextUrl.searchParams.get('cascade') === 'true');
  return 'deleting' in outcome ? Response.json(outcome, { status: 202 }) : undefined;
});
