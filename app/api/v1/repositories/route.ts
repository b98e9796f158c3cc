import { gitopsContracts } from '@/lib/schemas/contracts/gitops';
import { deps, repoMirrors, secrets, webContext } from '@/lib/server/context';
import { addRepository } from '@/lib/server/gitops/add-repository';
import { listRepositories } from '@/lib/server/gitops/list-repositories';
import { removeRepository } from '@/lib/server/gitops/remove-repository';
import { allowLocalRepos } from '@/lib/server/gitops/gitops-context';
import { route } from '../../_lib/handler';

const C = gitopsContracts['/api/v1/repositories'];

export const GET = route({ contract: C.get }, async ({ principal }) => ({
  items: await listRepositories(deps(), principal),
}));

export const POST = route({ contract: C.post, status: 201 }, async ({ body, principal }) =>
  addRepository(deps(), secrets(), repoMirrors(), principal, body, allowLocalRepos(webContext().env)),
);

/** DELETE /api/v1/repositories?url=… (URLs do not fit in a path segment). */
export const DELETE = route({ contract: C.delete }, async ({ query, principal }) => {
  await removeRepository(deps(), principal, query.url);
});
