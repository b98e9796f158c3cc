import { applyProject } from '@/lib/server/access/apply-project';
import { listProjects } from '@/lib/server/access/list-projects';
import { deps } from '@/lib/server/context';
import { route } from '../../_lib/handler';
import { documentBody } from './_lib/document-body';

export const GET = route({}, async ({ principal }) => ({ items: await listProjects(deps(), principal) }));

/** An Argo CD AppProject (JSON or YAML); ?upsert=true replaces a project whose spec differs. */
export const POST = route({}, async ({ req, principal }) => {
  const upsert = req.nextUrl.searchParams.get('upsert') === 'true';
  const applied = await applyProject(deps(), principal, await documentBody(req), {
    mode: upsert ? 'upsert' : 'create',
  });
  return Response.json(applied, { status: applied.action === 'created' ? 201 : 200 });
});
