import { policySubjects } from '@/lib/domain/access/policy-subjects';
import { AppError } from '@/lib/errors';
import type { Principal } from '@/lib/server/principal';
import type { PolicyEngine, ProjectPolicy } from './ports';

type Who = Pick<Principal, 'username' | 'groups' | 'source'>;

/** principal, resource, action, object (`project/name` for project resources), and the object's project policy. */
type AccessRequest = [principal: Who, resource: string, action: string, object: string, project?: ProjectPolicy];

/** The subjects a principal is known as to the policy: its groups, after its username unless it is an SSO user. */
export function subjectsOf(principal: Who): string[] {
  return policySubjects(principal);
}

/** Whether the principal may do `action` on `resource` `object`. */
export function canI(engine: PolicyEngine, ...[principal, resource, action, object, project]: AccessRequest) {
  return engine.enforce(subjectsOf(principal), resource, action, object, project);
}

/** The one access check every use case makes; throws 403 naming what was refused. */
export async function authorize(engine: PolicyEngine, ...request: AccessRequest): Promise<void> {
  if (await canI(engine, ...request)) return;
  const [, resource, action, object] = request;
  throw new AppError('FORBIDDEN', `permission denied: ${resource}, ${action}, ${object}`, {
    denied: { resource, action, object },
    hint: `Ask an administrator for a role that allows "${action}" on ${resource} "${object}".`,
  });
}
