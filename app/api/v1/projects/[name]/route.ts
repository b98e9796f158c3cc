import { applyProject } from '@/lib/server/access/apply-project';
import { deleteProject } from '@/lib/server/access/delete-project';
import { getProject } from '@/lib/server/access/get-project';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';
import { documentBody } from '../_lib/document-body';

export const GET = route({}, async ({ params, principal }) => getProject(deps(), principal, String(params.name)));

export const PUT = route({}, async ({ req, params, principal }) =>
  applyProject(deps(), principal, await documentBody(req), { mode: 'update', name: String(params.name) }),
);

export const DELETE = route({}, async ({ params, principal }) => {
  await deleteProject(deps(), principal, String(params.name));
});
