import type { TOperationState } from '@/lib/schemas/applications';
import type { OperationRow } from '../ports';

export type { OperationRow };

/** A terminate request shows at once, before the controller gets to it. */
export function effectivePhase(
  row: Pick<OperationRow, 'phase' | 'terminateRequested' | 'finishedAt'>,
): TOperationState['phase'] {
  return row.terminateRequested && !row.finishedAt && row.phase === 'Running' ? 'Terminating' : row.phase;
}

/** An app_operations row in Argo CD's operationState shape. */
export function toOperationState(row: OperationRow): TOperationState {
  return {
    id: row.id,
    operation: row.operation,
    phase: effectivePhase(row),
    message: row.message,
    syncResult:
      row.revision || row.results.length > 0
        ? { revision: row.revision ?? row.operation.sync.revision, resources: row.results }
        : undefined,
    steps: row.steps ?? undefined,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString(),
    retryCount: row.retryCount,
  };
}
