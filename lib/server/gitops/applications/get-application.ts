import type { TApplication, THistoryEntry } from '@/lib/schemas/applications';
import type { GitopsDeps, HistoryRow } from '../ports';
import { loadApplication, type ApplicationRow } from './load-application';
import { toOperationState, type OperationRow } from './to-operation-state';

/** The tools the controller records (render-app's TOOL_NAMES); anything else reads as unknown. */
const SOURCE_TYPES = ['Directory', 'Kustomize', 'Helm'] as const;

export function toHistoryEntry(h: HistoryRow): THistoryEntry {
  return {
    id: h.id,
    revision: h.revision,
    source: h.source,
    deployedAt: h.deployedAt.toISOString(),
    deployStartedAt: h.deployStartedAt?.toISOString(),
    initiatedBy: h.initiatedBy,
    commit: h.commit ?? undefined,
  };
}

/** History, newest first. */
export async function historyOf(deps: Pick<GitopsDeps, 'gitops'>, appId: string): Promise<THistoryEntry[]> {
  return (await deps.gitops.history.ofApp(appId)).map(toHistoryEntry);
}

export function toApplication(
  row: ApplicationRow,
  operation: OperationRow | undefined,
  history: THistoryEntry[],
): TApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: row.name,
      namespace: 'keelson',
      creationTimestamp: row.createdAt.toISOString(),
      generation: row.generation,
      createdBy: row.createdBy,
    },
    spec: row.spec,
    status: {
      sync: { status: row.syncStatus, revision: row.revision ?? undefined },
      health: { status: row.healthStatus, message: row.healthMessage ?? undefined },
      resources: row.resources,
      conditions: row.conditions,
      reconciledAt: row.reconciledAt?.toISOString(),
      sourceType: SOURCE_TYPES.find((t) => t === row.sourceType),
      commit: row.commit ?? undefined,
      operationState: operation ? toOperationState(operation) : undefined,
      history,
      pinned: row.pinned ?? undefined,
      refreshRequested: (row.refreshRequested as 'normal' | 'hard' | null) ?? undefined,
      deletion: row.deletion ?? undefined,
      lastSyncedAt: row.lastSyncedAt?.toISOString(),
    },
  };
}

/** The Argo CD Application shape: spec, status columns, the latest operation, history and the pin. */
export async function getApplication(deps: Pick<GitopsDeps, 'gitops'>, name: string): Promise<TApplication> {
  const row = await loadApplication(deps, name);
  const [operation, history] = await Promise.all([deps.gitops.operations.latest(row.id), historyOf(deps, row.id)]);
  return toApplication(row, operation, history);
}
