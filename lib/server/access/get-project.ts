import type { TAppProject } from '@/lib/domain/gitops/projects';
import type { Principal } from '../principal';
import { authorizedProject, projectView, type ProjectDeps } from './project-deps';

/** One AppProject (`projects, get, <name>`), with its project tokens in status.jwtTokensByRole. */
export async function getProject(deps: ProjectDeps, principal: Principal, name: string): Promise<TAppProject> {
  const stored = await authorizedProject(deps, principal, 'get', name);
  return projectView(stored, await deps.accessStores.tokens.list(name));
}
