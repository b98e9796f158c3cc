import { AppError } from '@/lib/errors';
import type { ProjectDeps } from '../access/project-deps';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { projectRoleFor } from './project-token-info';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Revokes one project token (`projects, update, <project>`); it stops working at once. */
export async function deleteProjectToken(
  deps: ProjectDeps,
  principal: Principal,
  project: string,
  role: string,
  id: string,
): Promise<void> {
  await projectRoleFor(deps, principal, project, role);
  const notFound = () =>
    new AppError('NOT_FOUND', `No token ${id} for role "${role}" of project "${project}".`, {
      hint: `List them with \`keelson proj role list-tokens ${project} ${role}\`.`,
    });
  if (!UUID.test(id)) throw notFound();
  await deps.accessStores.transaction(async (tx) => {
    if (!(await tx.tokens.revoke(project, role, id, deps.now()))) throw notFound();
    await tx.audit.record({
      ...auditBy(principal),
      action: 'project.token.delete',
      target: `projects/${project}/roles/${role}/tokens/${id}`,
      result: 'success',
    });
  });
}
