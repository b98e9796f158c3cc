import { AppError } from '@/lib/errors';
import type { TOperationState } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { toOperationState } from './to-operation-state';
import { auditEntry } from '../audit-entry';

/** Asks the controller to stop the running operation (it finishes it as Failed, "terminated"). */
export async function terminateOperation(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
): Promise<TOperationState> {
  // Argo CD checks `sync` to terminate an operation.
  const app = await loadAppFor(deps, principal, name, 'sync');
  const row = await deps.gitops.transaction(async (tx) => {
    const op = await tx.operations.requestTerminate(app.id);
    if (!op)
      throw new AppError('CONFLICT', `No operation is running on "${name}".`, {
        hint: `Start one with \`keelson app sync ${name}\`.`,
      });
    await tx.audit.record(
      auditEntry(principal, 'application.terminate-operation', `application/${name}`, { operation: op.id }),
    );
    await tx.notify(name);
    return op;
  });
  return toOperationState(row);
}
