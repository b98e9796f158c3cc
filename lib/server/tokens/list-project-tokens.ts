import type { TProjectTokenInfo } from '@/lib/schemas/projects';
import type { ProjectDeps } from '../access/project-deps';
import type { Principal } from '../principal';
import { projectRoleFor, projectTokenInfo } from './project-token-info';

/** A project role's tokens not revoked (`projects, update, <project>`, as Argo CD), oldest first. */
export async function listProjectTokens(
  deps: ProjectDeps,
  principal: Principal,
  project: string,
  role: string,
): Promise<{ items: TProjectTokenInfo[] }> {
  await projectRoleFor(deps, principal, project, role);
  const now = deps.now();
  return { items: (await deps.accessStores.tokens.list(project, role)).map((t) => projectTokenInfo(t, now)) };
}
