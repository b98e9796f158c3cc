import { AppError } from '@/lib/errors';
import type { TOperationState, TRollbackRequest } from '@/lib/schemas/applications';
import type { GitopsDeps } from '../ports';
import type { Principal } from '../../principal';
import { queueOperation } from './queue-operation';
import { auditEntry } from '../audit-entry';

/**
 * Rollback to a history id: syncs that SHA and pins the app to it (auto-sync holds while pinned;
 * unpin resumes following targetRevision). A dry run pins nothing. Unknown ids are a 400 that
 * lists the valid ones.
 */
export async function rollbackApplication(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  req: TRollbackRequest,
): Promise<TOperationState> {
  return queueOperation(
    deps,
    principal,
    name,
    async (tx, app) => {
      const history = await tx.history.ofApp(app.id);
      const entry = history.find((h) => h.id === req.id);
      if (!entry) {
        const ids = history.map((h) => h.id).sort((a, b) => b - a);
        throw new AppError('BAD_REQUEST', `No history entry ${req.id} for "${name}".`, {
          issues: [{ path: 'id', message: ids.length ? `use one of ${ids.join(', ')}` : 'the app has no history yet' }],
          hint: `List the history with \`keelson app history ${name}\`.`,
        });
      }
      if (!req.dryRun) {
        const pinned = {
          revision: entry.revision,
          historyId: entry.id,
          reason: req.reason || `rolled back by ${principal.username}`,
          by: principal.username,
          at: deps.now().toISOString(),
        };
        await tx.apps.pin(app.id, pinned, deps.now());
      }
      return {
        sync: { revision: entry.revision, prune: req.prune, dryRun: req.dryRun, syncOptions: [] },
        initiatedBy: { username: principal.username },
        rollbackTo: entry.id,
      };
    },
    (op) =>
      auditEntry(principal, 'application.rollback', `application/${name}`, {
        operation: op.id,
        historyId: req.id,
        revision: op.operation.sync.revision,
      }),
  );
}
