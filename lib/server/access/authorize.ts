import { AppError } from '@/lib/errors';
import type { Principal } from '@/lib/server/principal';
import type { PolicyEngine, ProjectPolicy } from './ports';

/** The subjects a principal is known as to the policy: its username, then its groups. */
export function subjectsOf(principal: Pick<Principal, 'username' | 'groups'>): string[] {
  return [principal.username, ...principal.groups.filter((g) => g !== principal.username)];
}

/** Whether the principal may do `action` on `resource` `object` (`project/name` for project resources). */
export function canI(
  engine: PolicyEngine,
  principal: Pick<Principal, 'username' | 'groups'>,
  resource: string,
  action: string,
  object: string,
  project?: ProjectPolicy,
): Promise<boolean> {
  return engine.enforce(subjectsOf(principal), resource, action, object, project);
}

/** The one access check every use case makes; throws 403 naming what was refused. */
export async function authorize(
  engine: PolicyEngine,
  principal: Pick<Principal, 'username' | 'groups'>,
  resource: string,
  action: string,
  object: string,
  project?: ProjectPolicy,
): Promise<void> {
  if (await canI(engine, principal, resource, action, object, project)) return;
  throw new AppError('FORBIDDEN', `permission denied: ${resource}, ${action}, ${object}`, {
    denied: { resource, action, object },
    hint: `Ask an administrator for a role that allows "${action}" on ${resource} "${object}".`,
  });
}
