import { applicationContracts } from '@/lib/schemas/contracts/applications';
import { deps, webContext } from '@/lib/server/context';
import { createApplication } from '@/lib/server/gitops/applications/create-application';
import { listApplications } from '@/lib/server/gitops/applications/list-applications';
import { repoHostPolicy } from '@/lib/server/gitops/gitops-context';
import { route } from '../../_lib/handler';

const C = applicationContracts['/api/v1/applications'];

export const GET = route({ contract: C.get }, async ({ query, principal }) =>
  listApplications(deps(), principal, query),
);

/** The body is an Argo CD Application document; the service validates it (fields, repo URL, cluster). */
export const POST = route({ contract: C.post }, async ({ query, body, principal }) => {
  const { created, application } = await createApplication(deps(), principal, body, {
    upsert: query.upsert === 'true',
    allowLocalRepos: repoHostPolicy(undefined, webContext().env),
    jq: webContext().jq,
  });
  return Response.json(application, { status: created ? 201 : 200 });
});
