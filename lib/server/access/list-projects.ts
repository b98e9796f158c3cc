import type { TAppProject } from '@/lib/domain/gitops/projects';
import type { Principal } from '../principal';
import { projectView, type ProjectDeps } from './project-deps';

/** The AppProjects the principal may `get`, by name. */
export async function listProjects(deps: ProjectDeps, principal: Principal): Promise<TAppProject[]> {
  const all = await deps.accessStores.projects.list();
  const visible = await deps.access.filter(principal, 'projects', 'get', all, (s) => s.project.metadata.name);
  return Promise.all(
    visible.map(async (s) => projectView(s, await deps.accessStores.tokens.list(s.project.metadata.name))),
  );
}
