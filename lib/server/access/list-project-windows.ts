import { isWindowActive, type TSyncWindow } from '@/lib/domain/gitops/projects';
import type { Principal } from '../principal';
import { authorizedProject, type ProjectDeps } from './project-deps';

export type ProjectWindow = TSyncWindow & { active: boolean };

/** A project's sync windows, each with whether it is active now (`keelson proj windows list`). */
export async function listProjectWindows(
  deps: ProjectDeps,
  principal: Principal,
  name: string,
): Promise<{ items: ProjectWindow[] }> {
  const { project } = await authorizedProject(deps, principal, 'get', name);
  const now = deps.now();
  return { items: (project.spec.syncWindows ?? []).map((w) => ({ ...w, active: isWindowActive(w, now) })) };
}
