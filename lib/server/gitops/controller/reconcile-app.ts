/**
 * One refresh of one app: resolve the revision, render, compare with the live state, grade health,
 * and store the result. Every failure a user can cause (a bad revision, a broken kustomization, an
 * unreachable cluster) becomes a condition on the app; nothing here throws for those.
 */
import { createHash } from 'node:crypto';
import { isRepoError } from '@/lib/adapters/git';
import { parseAppSyncOptions, resourceKey, type KubeObject } from '@/lib/domain/gitops';
import { activeAutomation, type TCondition, type TSyncStatus } from '@/lib/schemas/applications';
import { repoRefFor, type ControlledApp } from '../app-target';
import type { AppStatusPatch } from '../ports';
import { buildTree } from './build-tree';
import { withCompareReads } from './compare-reads';
import { objectKey } from './object-key';
import { unreachableMessage, type ClusterWatch } from './cluster-watch';
import { compareAppState, type CompareInput } from './compare-app-state';
import { INVALID_SPEC } from '../app-project';
import { liveScopeOf, otherOwner, refOfLive, sharedResourceMessage, type LiveScope } from '../live-scope';
import { orphanedStateOf } from './orphaned-resources';
import { currentProject, projectProblem } from './project-rules';
import { renderApp } from './render-app';
import type { ControllerRuntime } from './runtime';

/** Argo CD's condition for a desired object whose live one another app tracks. */
const SHARED_RESOURCE = 'SharedResourceWarning';

export type RefreshMode = 'live' | 'poll' | 'normal' | 'hard';

export interface ReconcileResult {
  sync: TSyncStatus;
  sha?: string;
  paramsHash: string;
}

/**
 * An app whose cluster is down is compared again this soon (not after the full resync interval), so it recovers
 * within seconds of the cluster's watch reconnecting; the check costs no render while the cluster stays down.
 */
const UNREACHABLE_RECHECK_MS = 5_000;

export function paramsHashOf(app: ControlledApp): string {
  return createHash('sha256').update(JSON.stringify(app.spec.source)).digest('hex').slice(0, 16);
}

/** Keeps a condition's lastTransitionTime while it stays the same. */
function conditions(previous: TCondition[], next: { type: string; message: string }[], now: Date): TCondition[] {
  return next.map(
    (c) =>
      previous.find((p) => p.type === c.type && p.message === c.message) ?? {
        ...c,
        lastTransitionTime: now.toISOString(),
      },
  );
}

/**
 * How old the last fetch of the repo may be. A refresh asked for by a user or a webhook fetches, or uses a fetch
 * that started after it was asked (fetchAgeMs): a push must be seen. A periodic one accepts 15 s.
 * A new or changed app accepts a second, so creating 200 apps does not fetch 200 times.
 */
const FETCH_AGE: Record<RefreshMode, number> = { live: Number.POSITIVE_INFINITY, poll: 15_000, normal: 0, hard: 0 };

/** Room for the clock of the process that recorded a refresh request (the web server's, for users and webhooks). */
const REQUEST_CLOCK_MARGIN_MS = 1_000;

/**
 * A requested refresh must see what was pushed before it was asked for, which any fetch that started after the
 * request does: a request sets nextReconcileAt to its time, so a fetch started since (plus a margin) is accepted.
 * A thousand apps asked at once (a push to their repository, the refresh after each of their syncs) then share the
 * fetches made since instead of each waiting for a fetch that starts after its own compare; one asked just now fetches.
 */
export function fetchAgeMs(mode: RefreshMode, nextReconcileAt: Date, now: Date): number {
  if (FETCH_AGE[mode] !== 0) return FETCH_AGE[mode];
  return Math.max(0, now.getTime() - nextReconcileAt.getTime() - REQUEST_CLOCK_MARGIN_MS);
}

/**
 * The live objects for the desired keys, and the tracked ones; kinds the cache lacks are fetched. Only objects the
 * app's project permits (`permitted`; every object when absent) are the app's live state, and a live object tracked
 * by another app is not this app's: its key counts as missing (Argo CD's SharedResourceWarning case), listed in
 * `shared`. An untracked object under a desired key in a permitted place stays attached, so a sync adopts it.
 */
export async function liveStateOf(
  watch: ClusterWatch,
  appName: string,
  desired: KubeObject[],
  permitted: LiveScope = () => true,
) {
  await watch.ensureKinds(desired.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind })));
  const cache = watch.cache();
  const live = new Map<string, KubeObject>();
  const shared: { obj: KubeObject; app: string }[] = [];
  for (const o of desired) {
    const hit = cache.get(objectKey(o));
    if (!hit || !permitted(refOfLive(hit))) continue;
    const other = otherOwner(hit, appName);
    if (other) shared.push({ obj: hit, app: other });
    else live.set(resourceKey(o), hit);
  }
  const tracked = cache.indexed(appName).filter((o) => permitted(refOfLive(o)));
  for (const t of tracked) if (!live.has(resourceKey(t))) live.set(resourceKey(t), t);
  return { live, tracked, shared };
}

/** Compares the desired objects with the live ones on the app's cluster, with the controller's caches. */
export function compareWithLive(
  rt: ControllerRuntime,
  watch: ClusterWatch,
  app: ControlledApp,
  state: Pick<CompareInput, 'desired' | 'live' | 'tracked'>,
  validate: boolean,
) {
  return compareAppState({ ...state, cluster: watch.client, spec: app.spec, dryRuns: rt.dryRuns, jq: rt.jq, validate });
}

export async function reconcileApp(
  runtime: ControllerRuntime,
  app: ControlledApp,
  mode: RefreshMode,
): Promise<ReconcileResult> {
  const rt = withCompareReads(runtime);
  const now = rt.deps.now();
  const paramsHash = paramsHashOf(app);
  // What the project refuses (spec now; the rendered kinds once rendered): a condition that blocks syncing.
  let invalid = await projectProblem(rt, app);
  const save = async (patch: AppStatusPatch, found: { type: string; message: string }[], recheckMs = rt.resyncMs) => {
    const projectConditions = invalid ? [{ type: INVALID_SPEC, message: invalid }] : [];
    await rt.apps.saveStatus(app.id, {
      ...patch,
      // The request this compare answers is cleared with its result (not one asked again meanwhile).
      ...(app.refreshRequested
        ? { refreshRequested: { clearIf: { level: app.refreshRequested, askedAt: app.nextReconcileAt } } }
        : {}),
      conditions: conditions(app.conditions, [...projectConditions, ...found], now),
      reconciledAt: now,
      reconciledGeneration: app.generation,
      nextReconcileAt: new Date(now.getTime() + recheckMs),
    });
  };
  const unknown = async (type: string, message: string): Promise<ReconcileResult> => {
    await save({ syncStatus: 'Unknown' }, [{ type, message }]);
    return { sync: 'Unknown', paramsHash };
  };

  const watch = await rt.clusters.get(app.clusterName);
  if ('error' in watch) {
    await save(
      { syncStatus: 'Unknown', healthStatus: 'Unknown', healthMessage: watch.error },
      [{ type: 'ComparisonError', message: `Failed to load live state: cluster "${app.clusterName}": ${watch.error}` }],
      Math.min(rt.resyncMs, UNREACHABLE_RECHECK_MS),
    );
    return { sync: 'Unknown', paramsHash };
  }
  const down = watch.unreachable();
  if (down) {
    await save(
      { syncStatus: 'Unknown', healthStatus: 'Unknown', healthMessage: down },
      [{ type: 'ComparisonError', message: unreachableMessage(app.clusterName, down) }],
      Math.min(rt.resyncMs, UNREACHABLE_RECHECK_MS),
    );
    return { sync: 'Unknown', paramsHash };
  }

  const repo = await repoRefFor(rt.deps, rt.box, app);
  let sha: string;
  try {
    const unchangedSpec = app.reconciledGeneration === app.generation;
    if (app.pinned)
      sha = await rt.mirrors.resolveRevision(repo, app.pinned.revision, { maxAgeMs: Number.POSITIVE_INFINITY });
    else if (mode === 'live' && app.revision && unchangedSpec) sha = app.revision;
    else
      sha = await rt.mirrors.resolveRevision(repo, app.spec.source.targetRevision, {
        maxAgeMs: Math.min(
          fetchAgeMs(mode, app.nextReconcileAt, now),
          unchangedSpec ? Number.POSITIVE_INFINITY : 1_000,
        ),
      });
  } catch (err) {
    const message = isRepoError(err) ? err.message : `git: ${(err as Error).message}`;
    return unknown('ComparisonError', `Failed to load target state: ${message}`);
  }

  const rendered = await renderApp(rt, watch.conn, app.name, app.spec, repo, sha, { hard: mode === 'hard' });
  if (!rendered.ok) {
    await save({ syncStatus: 'Unknown', revision: sha }, [
      { type: 'ComparisonError', message: `Failed to render manifests at ${sha.slice(0, 7)}: ${rendered.message}` },
    ]);
    return { sync: 'Unknown', sha, paramsHash };
  }

  invalid ??= await projectProblem(rt, app, { conn: watch.conn, desired: rendered.desired });
  const project = await currentProject(rt, app.project);
  const permitted = await liveScopeOf(rt.deps, project, app.clusterName);
  const { live, tracked, shared } = await liveStateOf(watch, app.name, rendered.desired, permitted);
  const validate = parseAppSyncOptions(app.spec.syncPolicy.syncOptions).validate;
  const result = await compareWithLive(rt, watch, app, { desired: rendered.desired, live, tracked }, validate);
  const orphaned = orphanedStateOf(project, app, watch, rendered.desired);
  rt.orphanWatchers.set(app.name, orphaned && { cluster: app.clusterName, namespace: app.destNamespace });
  const tree = buildTree(result.resources, live, (obj) => watch.cache().resourceTree(obj));
  if (orphaned) tree.push(...orphaned.nodes.filter((n) => !tree.some((t) => t.key === n.key)));
  const commit = app.revision === sha && app.commit ? app.commit : await rt.commits.get(repo, sha);
  const found = result.errors.map((message) => ({ type: 'ComparisonError', message }));
  for (const s of shared) found.push({ type: SHARED_RESOURCE, message: sharedResourceMessage(s.obj, app.name, s.app) });
  const extras = result.resources.filter((r) => r.requiresPrune).length;
  if (extras > 0 && !activeAutomation(app.spec.syncPolicy)?.prune) {
    found.push({
      type: 'OrphanedResourceWarning',
      message: `${extras} resource${extras === 1 ? '' : 's'} no longer in Git: sync with prune to delete`,
    });
  }
  if (orphaned) found.push(...orphaned.conditions);
  await save(
    {
      syncStatus: result.sync,
      healthStatus: result.health.status,
      healthMessage: result.health.message ?? null,
      revision: sha,
      commit: commit ? { sha, message: commit.message, author: commit.author, date: commit.date } : null,
      sourceType: rendered.sourceType,
      resources: result.resources,
      diffs: result.diffs,
      tree,
    },
    found,
  );
  return { sync: result.sync, sha, paramsHash };
}
