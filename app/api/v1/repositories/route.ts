import { z } from 'zod';
import { ZAddRepository } from '@/lib/schemas/gitops';
import { deps, secrets } from '@/lib/server/context';
import { addRepository, listRepositories, removeRepository } from '@/lib/server/gitops/add-repository';
import { allowLocalRepos, repoMirrors } from '@/lib/server/gitops/gitops-context';
import { route } from '../../_lib/handler';

export const GET = route({}, async () => ({ items: await listRepositories(deps()) }));

export const POST = route({ body: ZAddRepository, status: 201 }, async ({ body, principal }) =>
  addRepository(deps(), secrets(), repoMirrors(), principal, body, allowLocalRepos()),
);

/** DELETE /api/v1/repositories?url=… (URLs do not fit in a path segment). */
export const DELETE = route({}, async ({ req, principal }) => {
  const url = z.string().min(1).parse(req.nextUrl.searchParams.get('url') ?? '');
  await removeRepository(deps(), principal, url);
});
