import { and, eq, isNull } from 'drizzle-orm';
import { appOperations } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import type { TOperationState } from '@/lib/schemas/applications';
import { recordAudit } from '../../audit';
import type { Deps } from '../../deps';
import type { Principal } from '../../principal';
import { notifyController } from '../notify-controller';
import { loadApplication } from './load-application';
import { toOperationState } from './to-operation-state';
import { auditEntry } from '../audit-entry';

/** Asks the controller to stop the running operation (it finishes it as Failed, "terminated"). */
export async function terminateOperation(deps: Deps, principal: Principal, name: string): Promise<TOperationState> {
  const app = await loadApplication(deps, name);
  const row = await deps.db.transaction(async (tx) => {
    const [op] = await tx
      .update(appOperations)
      .set({ terminateRequested: true })
      .where(and(eq(appOperations.appId, app.id), isNull(appOperations.finishedAt)))
      .returning();
    if (!op)
      throw new AppError('CONFLICT', `No operation is running on "${name}".`, {
        hint: `Start one with \`keelson app sync ${name}\`.`,
      });
    await recordAudit(
      { ...deps, db: tx },
      auditEntry(principal, 'application.terminate-operation', `application/${name}`, { operation: op.id }),
    );
    await notifyController({ db: tx }, name);
    return op;
  });
  return toOperationState(row);
}
