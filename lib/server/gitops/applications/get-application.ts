import type { TApplication, THistoryEntry, TSyncWindowState } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import { syncWindowState } from '../app-project';
import type { GitopsDeps, HistoryRow } from '../ports';
import { loadAppFor } from './app-access';
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

/** status.orphanedResources, from the orphaned nodes of the stored tree (absent when there are none). */
function orphanedOf(row: ApplicationRow): Pick<TApplication['status'], 'orphanedResources'> {
  const nodes = row.tree.filter((n) => n.orphaned);
  if (nodes.length === 0) return {};
  return {
    orphanedResources: nodes.map((n) => ({ group: n.group, kind: n.kind, namespace: n.namespace, name: n.name })),
  };
}

export function toApplication(
  row: ApplicationRow,
  operation: OperationRow | undefined,
  history: THistoryEntry[],
  syncWindow?: TSyncWindowState,
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
      syncWindow,
      ...orphanedOf(row),
    },
  };
}

/** The sync window state of a stored app, from its project now. */
export async function windowStateOf(
  deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>,
  row: Pick<ApplicationRow, 'name' | 'project' | 'clusterName' | 'destNamespace'> & { server?: string },
): Promise<TSyncWindowState> {
  const project = await deps.access.project(row.project);
  const app = { name: row.name, clusterName: row.clusterName, namespace: row.destNamespace, server: row.server };
  return syncWindowState(project, app, deps.now());
}

/** The Application shape of a row already authorized (or read after the caller's own write). */
export async function applicationOf(
  deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>,
  row: ApplicationRow,
): Promise<TApplication> {
  const [operation, history, window] = await Promise.all([
    deps.gitops.operations.latest(row.id),
    historyOf(deps, row.id),
    windowStateOf(deps, { ...row, server: row.spec.destination.server }),
  ]);
  return toApplication(row, operation, history, window);
}

/** Reads an app after the caller's own authorized write (create, update, unpin). */
export async function readApplication(
  deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>,
  name: string,
): Promise<TApplication> {
  return applicationOf(deps, await loadApplication(deps, name));
}

/** The Argo CD Application shape: spec, status columns, the latest operation, history, the pin, sync windows. */
export async function getApplication(
  deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>,
  principal: Principal,
  name: string,
): Promise<TApplication> {
  return applicationOf(deps, await loadAppFor(deps, principal, name, 'get'));
}
