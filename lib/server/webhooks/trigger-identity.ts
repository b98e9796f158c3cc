import { AppError } from '@/lib/errors';
import type { Access } from '../access/ports';
import { gateOf, type Gate } from '../pipeline/pipeline-access';
import type { StartAs } from '../pipeline/start-pipeline';
import type { Principal } from '../principal';

/**
 * The implicit service account of a Trigger without spec.serviceAccountName: it may create PipelineRuns in
 * the trigger's own project and nothing else (and its Pipeline is looked up in that project only).
 */
function implicitGate(project: string): Gate {
  return async (resource, action, object) => {
    if (resource === 'pipelineruns' && action === 'create' && object.startsWith(`${project}/`)) return;
    throw new AppError('FORBIDDEN', `permission denied: ${resource}, ${action}, ${object}`, {
      denied: { resource, action, object },
      hint: `A trigger without spec.serviceAccountName may only start runs in its own project "${project}".`,
    });
  };
}

/**
 * Who a delivery to a trigger acts as: the project role its spec.serviceAccountName names
 * (`proj:<project>:<role>`, via trigger; that role's policies decide), else the implicit service account.
 * The run's createdBy and its audit row name the trigger and the service account.
 */
export function triggerIdentity(
  access: Access,
  trigger: { name: string; project: string },
  serviceAccountName: string | undefined,
): { principal: Principal; start: StartAs } {
  const username = serviceAccountName
    ? `proj:${trigger.project}:${serviceAccountName}`
    : `trigger:${trigger.project}:${trigger.name}`;
  const principal: Principal = { userId: '', username, name: null, role: 'system', groups: [], via: 'trigger' };
  const serviceAccount = serviceAccountName ?? '(implicit)';
  return {
    principal,
    start: {
      gate: serviceAccountName ? gateOf(access, principal) : implicitGate(trigger.project),
      project: trigger.project,
      // `trigger:<name>` alone when it acts as its implicit service account.
      actor: serviceAccountName ? `trigger:${trigger.name} (${username})` : `trigger:${trigger.name}`,
      details: { trigger: trigger.name, serviceAccount },
    },
  };
}
