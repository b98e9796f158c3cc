import { z } from 'zod';
import { ZListApplicationsQuery } from '@/lib/schemas/applications';
import { deps, webContext } from '@/lib/server/context';
import { createApplication } from '@/lib/server/gitops/applications/create-application';
import { listApplications } from '@/lib/server/gitops/applications/list-applications';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { repoHostPolicy } from '@/lib/server/gitops/gitops-context';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ req, principal }) =>
  listApplications(
    deps(),
    principal,
    parseOrThrow(
      ZListApplicationsQuery,
      Object.fromEntries(req.nextUrl.searchParams),
      'health, sync, cluster, namespace, search; limit 1–500, offset ≥ 0.',
      'query',
    ),
  ),
);

/** The body is an Argo CD Application document; the service validates it (fields, repo URL, cluster). */
export const POST = route({ body: z.unknown() }, async ({ req, body, principal }) => {
  const upsert = req.nextUrl.searchParams.get('upsert') === 'true';
  const { created, application } = await createApplication(deps(), principal, body, {
    upsert,
    allowLocalRepos: repoHostPolicy(undefined, webContext().env),
    jq: webContext().jq,
  });
  return Response.json(application, { status: created ? 201 : 200 });
});
