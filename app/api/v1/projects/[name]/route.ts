import { accessContracts } from '@/lib/schemas/contracts/access';
import { applyProject } from '@/lib/server/access/apply-project';
import { deleteProject } from '@/lib/server/access/delete-project';
import { getProject } from '@/lib/server/access/get-project';
import { deps } from '@/lib/server/context';
import { route } from '../../../_lib/handler';

const C = accessContracts['/api/v1/projects/{name}'];
import { documentBody } from '../_lib/document-body';

export const GET = route({ contract: C.get }, async ({ params, principal }) =>
  getProject(deps(), principal, String(params.name)),
);

export const PUT = route({ contract: C.put }, async ({ req, params, principal }) =>
  applyProject(deps(), principal, await documentBody(req), { mode: 'update', name: String(params.name) }),
);

export const DELETE = route({ contract: C.delete }, async ({ params, principal }) => {
  await deleteProject(deps(), principal, String(params.name));
});
