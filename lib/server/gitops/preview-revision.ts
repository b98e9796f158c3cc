/**
 * The diff a sync to another revision would make, computed on request in the web process: render
 * the app at that revision, read the live objects directly, and compare (used by the rollback
 * dialog and `GET /applications/{name}/diff?revision=`).
 */
import { clusterClient, connect, getObject } from '@/lib/adapters/k8s';
import type { JqRunner } from '@/lib/adapters/jq';
import type { RenderCache } from '@/lib/adapters/render';
import { isRepoError, type RepoMirrors } from '@/lib/adapters/git';
import { groupOf, parseAppSyncOptions, resourceKey, trackedBy, type KubeObject } from '@/lib/domain/gitops';
import { AppError } from '@/lib/errors';
import type { TResourceStatus } from '@/lib/schemas/applications';
import type { SecretBox } from '../security/secret-box';
import { clusterTargetFor, repoRefFor, type AppRow, type TargetDeps } from './app-target';
import { compareAppState, createDryRunCache } from './controller/compare-app-state';
import { objectKey } from './controller/object-key';
import { renderApp } from './controller/render-app';
import { otherOwner, refOfLive, type LiveScope } from './live-scope';
import type { ManifestRenderer } from './ports';

/** What a preview uses of the web process: its repository mirrors, render cache, render tools and jq thread. */
export interface PreviewRuntime {
  mirrors: RepoMirrors;
  renderCache: RenderCache;
  renderer: ManifestRenderer;
  jq: JqRunner;
}

export interface RevisionDiff {
  revision: string;
  sync: 'Synced' | 'OutOfSync';
  resources: (TResourceStatus & { diff: string })[];
}

export async function previewRevisionDiff(
  deps: TargetDeps,
  box: SecretBox,
  web: PreviewRuntime,
  app: AppRow,
  revision: string,
  permitted: LiveScope,
): Promise<RevisionDiff> {
  const repo = await repoRefFor(deps, box, app);
  let sha: string;
  try {
    sha = await web.mirrors.resolveRevision(repo, revision, { maxAgeMs: 10_000 });
  } catch (err) {
    throw new AppError('BAD_REQUEST', `revision: ${isRepoError(err) ? err.message : 'cannot be resolved'}`, {
      issues: [{ path: 'revision', message: 'unknown revision' }],
      hint: 'Give a branch, tag or SHA of the app repository.',
    });
  }
  const target = await clusterTargetFor(deps, box, app.clusterName);
  if (!target)
    throw new AppError('CONFLICT', `The app's cluster "${app.clusterName}" is not registered.`, {
      hint: 'Register the cluster again with `keelson cluster add`.',
    });
  const conn = await connect(target.credentials);
  try {
    const rendered = await renderApp(web, conn, app.name, app.spec, repo, sha);
    if (!rendered.ok)
      throw new AppError('BAD_REQUEST', `Cannot render the app at ${sha.slice(0, 7)}: ${rendered.message}`, {
        hint: 'Pick another revision, or fix the manifests in Git.',
      });
    const keys = new Map<string, { apiVersion: string; kind: string; namespace?: string; name: string }>();
    for (const o of rendered.desired) keys.set(resourceKey(o), objectKey(o));
    for (const r of app.resources)
      keys.set(`${r.group}/${r.kind}/${r.namespace}/${r.name}`, {
        apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
        kind: r.kind,
        namespace: r.namespace || undefined,
        name: r.name,
      });
    // As the controller's live state: nothing read outside the app's project, nothing another app tracks.
    const live = new Map<string, KubeObject>();
    await Promise.all(
      [...keys].map(async ([key, k]) => {
        const ref = { group: groupOf(k.apiVersion), kind: k.kind, namespace: k.namespace ?? '', name: k.name };
        if (!permitted(ref)) return;
        const obj = await getObject(conn, k).catch(() => undefined);
        if (obj && permitted(refOfLive(obj)) && !otherOwner(obj, app.name)) live.set(key, obj);
      }),
    );
    const tracked = [...live.values()].filter((o) => trackedBy(o) === app.name);
    const result = await compareAppState({
      cluster: clusterClient(conn),
      desired: rendered.desired,
      live,
      tracked,
      spec: app.spec,
      dryRuns: createDryRunCache(100),
      validate: parseAppSyncOptions(app.spec.syncPolicy.syncOptions).validate,
      jq: web.jq,
    });
    return {
      revision: sha,
      sync: result.sync,
      resources: result.resources.map((r) => ({
        ...r,
        diff: result.diffs[`${r.group}/${r.kind}/${r.namespace}/${r.name}`]?.diff ?? '',
      })),
    };
  } finally {
    conn.close();
  }
}
