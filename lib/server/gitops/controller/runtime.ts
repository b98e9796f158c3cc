import type { CommitInfo, RepoRef } from '@/lib/adapters/git';
import type { JqRunner } from '@/lib/adapters/jq';
import type { CacheEvent } from '@/lib/adapters/k8s';
import type { RenderCache, RenderTools } from '@/lib/adapters/render';
import type { AccessStores } from '../../access/ports';
import type { SecretBox } from '../../security/secret-box';
import { clusterTargetFor } from '../app-target';
import type { ApplicationStore, GitopsDeps, GitRepos, ManifestRenderer, OperationStore } from '../ports';
import { openClusterWatch, type ClusterWatch } from './cluster-watch';
import type { DryRunCache } from './compare-app-state';
import type { OrphanWatchers } from './orphaned-resources';

/** The controller's stores: the gitops ones, and the projects (read fresh on every compare). */
export interface ControllerDeps extends GitopsDeps {
  accessStores: AccessStores;
}

/** What the controller's use cases share: database, sealing, git, renderers, clusters, caches. */
export interface ControllerRuntime {
  deps: ControllerDeps;
  /** The app and operation rows the controller writes (ports; Drizzle in production). */
  apps: ApplicationStore;
  operations: OperationStore;
  box: SecretBox;
  mirrors: GitRepos;
  renderCache: RenderCache;
  /** The helm and kustomize found at start (reported in the worker's log). */
  tools: RenderTools;
  renderer: ManifestRenderer;
  dryRuns: DryRunCache;
  /** The process's jq thread (ignoreDifferences). */
  jq: JqRunner;
  commits: CommitCache;
  clusters: ClusterRegistry;
  /** Periodic refresh interval. */
  resyncMs: number;
  /** Apps whose project monitors orphaned resources, by namespace (refreshed when an untracked object changes). */
  orphanWatchers: OrphanWatchers;
  log: (line: string) => void;
}

export interface ClusterRegistry {
  /** The cluster's watch, or a reason it cannot be reached or is not registered. */
  get(name: string): Promise<ClusterWatch | { error: string }>;
  /**
   * The clusters this controller's apps need now: a watch of another cluster, not used since `unusedSince` (ms), is
   * closed (it opens again on demand). Returns the clusters closed.
   */
  retain(needed: ReadonlySet<string>, unusedSince: number): Promise<string[]>;
  /** The clusters watched now. */
  watched(): string[];
  stop(): Promise<void>;
}

/** Opens one watch per cluster on first use; a failed connection is retried after a few seconds. */
export function createClusterRegistry(
  deps: Pick<GitopsDeps, 'gitops' | 'now'>,
  box: SecretBox,
  onChange: (cluster: string, event: CacheEvent) => void,
  retryMs = 5_000,
): ClusterRegistry {
  const open = new Map<string, Promise<ClusterWatch>>();
  const failed = new Map<string, { error: string; at: number }>();
  /** When each open watch was last used or needed. */
  const wanted = new Map<string, number>();
  return {
    async get(name) {
      wanted.set(name, deps.now().getTime());
      const f = failed.get(name);
      if (f && deps.now().getTime() - f.at < retryMs) return { error: f.error };
      let p = open.get(name);
      if (!p) {
        p = (async () => {
          const target = await clusterTargetFor(deps, box, name);
          if (!target) throw new Error(`cluster "${name}" is not registered`);
          return openClusterWatch(target, (e) => onChange(name, e));
        })();
        open.set(name, p);
      }
      try {
        const watch = await p;
        failed.delete(name);
        return watch;
      } catch (err) {
        open.delete(name);
        const error = (err as Error).message;
        failed.set(name, { error, at: deps.now().getTime() });
        return { error };
      }
    },
    async retain(needed, unusedSince) {
      const now = deps.now().getTime();
      const closing: string[] = [];
      for (const [name, watch] of open) {
        if (needed.has(name)) wanted.set(name, now);
        else if ((wanted.get(name) ?? 0) < unusedSince) {
          open.delete(name);
          wanted.delete(name);
          closing.push(name);
          await watch.then((w) => w.stop()).catch(() => undefined);
        }
      }
      return closing;
    },
    watched: () => [...open.keys()],
    async stop() {
      const all = await Promise.allSettled([...open.values()]);
      open.clear();
      await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    },
  };
}

export interface CommitCache {
  get(repo: RepoRef, sha: string): Promise<CommitInfo | undefined>;
}

/** Commit messages by SHA (a commit never changes): 200 apps on one commit cost one `git log`. */
export function createCommitCache(mirrors: Pick<GitRepos, 'commitInfo'>, max = 2000): CommitCache {
  const entries = new Map<string, Promise<CommitInfo | undefined>>();
  return {
    get(repo, sha) {
      const key = `${repo.url}@${sha}`;
      let hit = entries.get(key);
      if (!hit) {
        hit = mirrors.commitInfo(repo, sha).catch(() => {
          entries.delete(key);
          return undefined;
        });
        entries.set(key, hit);
        if (entries.size > max) entries.delete(entries.keys().next().value as string);
      }
      return hit;
    },
  };
}
