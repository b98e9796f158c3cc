import { DEFAULT_PROJECT } from '@/lib/domain/gitops/projects';
import { AppError } from '@/lib/errors';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { authorizedProject, type ProjectDeps } from './project-deps';

const SHOWN_REFERENCES = 10;

/**
 * Deletes an AppProject (`projects, delete, <name>`). The `default` project stays, and a project something
 * still belongs to stays (Argo CD's resources-finalizer): the 409 names what to move or delete first. Its
 * project tokens are revoked with it.
 */
export async function deleteProject(deps: ProjectDeps, principal: Principal, name: string): Promise<void> {
  await authorizedProject(deps, principal, 'delete', name);
  if (name === DEFAULT_PROJECT)
    throw new AppError('BAD_REQUEST', 'The default project cannot be deleted.', {
      hint: 'Edit it instead (keelson proj create -f default.yaml --upsert) to restrict what it permits.',
    });
  const refs = await deps.accessStores.projects.references(name, SHOWN_REFERENCES + 1);
  if (refs.length > 0) {
    const shown = refs.slice(0, SHOWN_REFERENCES).join(', ') + (refs.length > SHOWN_REFERENCES ? ', …' : '');
    throw new AppError('CONFLICT', `project "${name}" is still in use by ${shown}`, {
      hint: 'Delete these or move them to another project (spec.project, metadata.namespace), then delete the project.',
    });
  }
  await deps.accessStores.transaction(async (tx) => {
    await tx.projects.delete(name);
    await tx.tokens.revokeOutside(name, [], deps.now());
    await tx.audit.record({
      ...auditBy(principal),
      action: 'project.delete',
      target: `projects/${name}`,
      result: 'success',
    });
  });
}
