import { accessContracts } from '@/lib/schemas/contracts/access';
import { applyProject } from '@/lib/server/access/apply-project';
import { listProjects } from '@/lib/server/access/list-projects';
import { deps } from '@/lib/server/context';
import { route } from '../../_lib/handler';

const C = accessContracts['/api/v1/projects'];
import { documentBody } from './_lib/document-body';

export const GET = route({ contract: C.get }, async ({ principal }) => ({
  items: await listProjects(deps(), principal),
}));

/** An Argo CD AppProject (JSON or YAML); ?upsert=true replaces a project whose spec differs. */
export const POST = route({ contract: C.post }, async ({ req, query, principal }) => {
  const applied = await applyProject(deps(), principal, await documentBody(req), {
    mode: query.upsert === 'true' ? 'upsert' : 'create',
  });
  return Response.json(applied, { status: applied.action === 'created' ? 201 : 200 });
});
