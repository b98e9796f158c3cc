/**
 * Turns a queued sync request into a stored plan: resolve the revision to a SHA, render at that
 * SHA, read what the app owns now, and let the pure planner order the tasks.
 */
import { randomBytes } from 'node:crypto';
import { isRepoError } from '@/lib/adapters/git';
import { formatResourceKey, parseAppSyncOptions, planSync, type SyncPlan } from '@/lib/domain/gitops';
import type { TOperationState } from '@/lib/schemas/applications';
import { repoRefFor, type ControlledApp } from '../app-target';
import type { ClusterWatch } from './cluster-watch';
import { withCompareReads } from './compare-reads';
import { liveScopeOf } from '../live-scope';
import { currentProject, projectProblem } from './project-rules';
import { compareWithLive, fetchAgeMs, liveStateOf } from './reconcile-app';
import { renderApp } from './render-app';
import type { ControllerRuntime } from './runtime';

export type Prepared =
  { ok: true; sha: string; plan: SyncPlan } | { ok: false; message: string; phase?: 'Failed' | 'Error' };

export async function prepareOperation(
  runtime: ControllerRuntime,
  app: ControlledApp,
  watch: ClusterWatch,
  operation: TOperationState['operation'],
  /** When the sync was asked for: a fetch started since then sees every push made before it. */
  requestedAt?: Date,
): Promise<Prepared> {
  const rt = withCompareReads(runtime);
  const repo = await repoRefFor(rt.deps, rt.box, app);
  let sha: string;
  try {
    sha = await rt.mirrors.resolveRevision(repo, operation.sync.revision || app.spec.source.targetRevision, {
      maxAgeMs: Math.max(2_000, requestedAt ? fetchAgeMs('normal', requestedAt, rt.deps.now()) : 0),
    });
  } catch (err) {
    return { ok: false, message: `ComparisonError: ${isRepoError(err) ? err.message : (err as Error).message}` };
  }
  const rendered = await renderApp(rt, watch.conn, app.name, app.spec, repo, sha);
  if (!rendered.ok)
    return {
      ok: false,
      message: `ComparisonError: Failed to render manifests at ${sha.slice(0, 7)}: ${rendered.message}`,
    };
  // The project may have changed since the request: nothing is applied that it refuses now.
  const invalid = await projectProblem(rt, app, { conn: watch.conn, desired: rendered.desired });
  if (invalid) return { ok: false, message: `InvalidSpecError: ${invalid}`, phase: 'Failed' };

  const options = parseAppSyncOptions([...app.spec.syncPolicy.syncOptions, ...operation.sync.syncOptions]);
  // Only objects the project permits now are the app's: nothing outside it is pruned (or adopted).
  const permitted = await liveScopeOf(rt.deps, await currentProject(rt, app.project), app.clusterName);
  const { live, tracked } = await liveStateOf(watch, app.name, rendered.desired, permitted);
  let syncStatus: Map<string, 'Synced' | 'OutOfSync'> | undefined;
  if (options.applyOutOfSyncOnly) {
    const compared = await compareWithLive(
      rt,
      watch,
      app,
      { desired: rendered.desired, live, tracked },
      options.validate,
    );
    syncStatus = new Map(
      compared.resources.map((r) => [formatResourceKey(r), r.status === 'Synced' ? 'Synced' : 'OutOfSync']),
    );
  }
  const selected = operation.sync.resources?.map((r) =>
    formatResourceKey({
      group: r.group,
      kind: r.kind,
      namespace: r.namespace ?? app.spec.destination.namespace,
      name: r.name,
    }),
  );
  const suffix = randomBytes(3).toString('hex');
  const plan = planSync({
    desired: rendered.desired,
    tracked,
    syncStatus,
    nameSuffix: (_hook, phase) => `${suffix}-${phase.toLowerCase()}`,
    options: {
      prune: operation.sync.prune,
      pruneLast: options.pruneLast,
      applyOutOfSyncOnly: options.applyOutOfSyncOnly,
      resources: selected ? new Set(selected) : undefined,
      createNamespace:
        options.createNamespace && app.spec.destination.namespace ? app.spec.destination.namespace : undefined,
      namespaceMetadata: app.spec.syncPolicy.managedNamespaceMetadata,
    },
  });
  return { ok: true, sha, plan };
}
