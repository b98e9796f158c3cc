import { DEFAULT_PROJECT } from '@/lib/domain/gitops/projects';
import type { AccessStores } from '../../access/ports';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';

/**
 * Whether the principal may create applications in some project (`applications, create, <project>/*`), so the
 * list page shows "New application" only to those who can use it. The create call still authorizes its object.
 */
export async function canCreateApplications(
  deps: Pick<GitopsDeps, 'access'> & { accessStores: Pick<AccessStores, 'projects'> },
  principal: Principal,
): Promise<boolean> {
  const names = new Set([
    DEFAULT_PROJECT,
    ...(await deps.accessStores.projects.list()).map((p) => p.project.metadata.name),
  ]);
  for (const name of names) if (await deps.access.can(principal, 'applications', 'create', `${name}/*`)) return true;
  return false;
}
