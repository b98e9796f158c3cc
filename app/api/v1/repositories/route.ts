import { z } from 'zod';
import { ZAddRepository } from '@/lib/schemas/gitops';
import { deps, repoMirrors, secrets, webContext } from '@/lib/server/context';
import { addRepository } from '@/lib/server/gitops/add-repository';
import { listRepositories } from '@/lib/server/gitops/list-repositories';
import { removeRepository } from '@/lib/server/gitops/remove-repository';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { allowLocalRepos } from '@/lib/server/gitops/gitops-context';
import { route } from '../../_lib/handler';

export const GET = route({}, async ({ principal }) => ({ items: await listRepositories(deps(), principal) }));

export const POST = route({ body: ZAddRepository, status: 201 }, async ({ body, principal }) =>
  addRepository(deps(), secrets(), repoMirrors(), principal, body, allowLocalRepos(webContext().env)),
);

const ZRemoveQuery = z.object({ url: z.string().min(1, 'required: the URL of the repository to remove') });

/** DELETE /api/v1/repositories?url=… (URLs do not fit in a path segment). */
export const DELETE = route({}, async ({ req, principal }) => {
  const { url } = parseOrThrow(
    ZRemoveQuery,
    Object.fromEntries(req.nextUrl.searchParams),
    'Name the repository: DELETE /api/v1/repositories?url=<its URL, as listed>.',
    'query',
  );
  await removeRepository(deps(), principal, url);
});
