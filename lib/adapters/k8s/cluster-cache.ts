/**
 * One watch-based cache per cluster (Argo CD's cluster cache, simplified): the kinds apps use plus
 * ReplicaSets and Pods for the resource tree. Keeps serving the last known objects while the
 * cluster is unreachable, and calls onChange within moments of a live change.
 */
import type { KubeConnection } from './connection';
import { KubeError } from './errors';
import { type KubeObject, type ObjectKey, groupOf, keyOf, objectKeyString } from './objects';
import { type Backoff, Reflector } from './reflector';
import { OwnerIndex, type ResourceNode, buildTree } from './owner-index';

export interface CacheKind {
  apiVersion: string;
  kind: string;
  /** Overrides the cache-wide labelSelector for this kind ('' = everything), e.g. for Pods. */
  labelSelector?: string;
}

export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: KubeObject;
  /** The object this MODIFIED event replaced in the cache (what changed can be told). */
  previous?: KubeObject;
  key: string;
  /** True when the event comes from a (re-)list rather than from the watch. */
  fromList: boolean;
}

export interface ClusterCacheOptions {
  kinds: CacheKind[];
  labelSelector?: string;
  /** Only this namespace (default: all namespaces). */
  namespace?: string;
  onChange?: (event: CacheEvent) => void;
  /**
   * The cache as a whole turned Unreachable (a kind's list or watch got no answer) or back to Synced (every kind
   * listed or watched again): objects did not change, but what is known about them did.
   */
  onStateChange?: (state: CacheState) => void;
  backoff?: Partial<Backoff>;
  /**
   * A secondary index (e.g. the app an object's tracking annotation names): `indexed(value)` then answers without
   * scanning every object, which a controller of thousands of apps would do once per app and compare.
   */
  indexBy?: (obj: KubeObject) => string | undefined;
  /** managedFields are large and useless for trees and health; dropped unless false. */
  stripManagedFields?: boolean;
  now?: () => Date;
}

export type CacheState = 'Pending' | 'Synced' | 'Unreachable';

export interface KindStatus {
  apiVersion: string;
  kind: string;
  state: CacheState;
  message?: string;
  lastSyncAt?: Date;
  objects: number;
  lists: number;
  watches: number;
}

export interface CacheStatus {
  /** Pending until every kind listed once; Unreachable while any kind fails (objects stay served). */
  state: CacheState;
  message?: string;
  /** Time up to which every kind is known to be current (oldest of the kinds). */
  lastSyncAt?: Date;
  kinds: KindStatus[];
}

export interface ClusterCache {
  /** Resolves once every kind has listed or failed once (or after timeoutMs), with the status then. */
  ready(timeoutMs?: number): Promise<CacheStatus>;
  status(): CacheStatus;
  get(key: ObjectKey): KubeObject | undefined;
  list(filter?: { apiVersion?: string; kind?: string; namespace?: string }): KubeObject[];
  /** The objects whose `indexBy` value is `value`, in `list()` order (none without `indexBy`). */
  indexed(value: string): KubeObject[];
  /** Direct children by ownerReferences uid (Deployment → ReplicaSets, ReplicaSet → Pods). */
  ownedChildren(owner: KubeObject | string): KubeObject[];
  /** The owner and its descendants as a tree. */
  resourceTree(root: KubeObject): ResourceNode;
  /** Ends every watch; with an old resourceVersion the next watch gets 410 and re-lists (tests, operators). */
  restartWatches(fromResourceVersion?: string): void;
  stop(): Promise<void>;
}

interface KindState {
  spec: CacheKind;
  keys: Set<string>;
  reflector: Reflector;
  state: CacheState;
  message?: string;
  lastSyncAt?: Date;
  settled: boolean;
}

export function createClusterCache(conn: KubeConnection, opts: ClusterCacheOptions): ClusterCache {
  const now = opts.now ?? (() => new Date());
  const backoff: Backoff = { initialMs: opts.backoff?.initialMs ?? 1000, maxMs: opts.backoff?.maxMs ?? 30_000 };
  const objects = new Map<string, KubeObject>();
  const owners = new OwnerIndex();
  const index = new Map<string, Set<string>>();
  const indexOf = (obj: KubeObject | undefined): string | undefined => (obj && opts.indexBy?.(obj)) || undefined;
  const reindex = (key: string, next: KubeObject | undefined, old: KubeObject | undefined): void => {
    const [was, now] = [indexOf(old), indexOf(next)];
    if (was === now) return;
    if (was !== undefined) {
      const keys = index.get(was);
      keys?.delete(key);
      if (keys?.size === 0) index.delete(was);
    }
    if (now !== undefined) index.set(now, (index.get(now) ?? new Set()).add(key));
  };
  const waiters = new Set<() => void>();

  const emit = (event: CacheEvent): void => {
    try {
      opts.onChange?.(event);
    } catch {
      // A failing listener must not stop the cache.
    }
  };

  const clean = (obj: KubeObject): KubeObject => {
    if (opts.stripManagedFields === false || !obj.metadata.managedFields) return obj;
    const { managedFields: _dropped, ...metadata } = obj.metadata;
    return { ...obj, metadata };
  };

  const upsert = (ks: KindState, raw: KubeObject, fromList: boolean): void => {
    const obj = clean(raw);
    const key = objectKeyString(keyOf(obj));
    const old = objects.get(key);
    objects.set(key, obj);
    ks.keys.add(key);
    owners.set(key, obj, old);
    reindex(key, obj, old);
    if (!old) emit({ type: 'ADDED', obj, key, fromList });
    else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion)
      emit({ type: 'MODIFIED', obj, previous: old, key, fromList });
  };

  const remove = (ks: KindState, key: string, fromList: boolean, last?: KubeObject): void => {
    const old = objects.get(key);
    if (!old) return;
    objects.delete(key);
    ks.keys.delete(key);
    owners.remove(key, old);
    reindex(key, undefined, old);
    emit({ type: 'DELETED', obj: last ? clean(last) : old, key, fromList });
  };

  const settle = (ks: KindState): void => {
    ks.settled = true;
    if (kinds.every((k) => k.settled)) for (const w of waiters) w();
  };

  let reported: CacheState | undefined;
  /** Calls onStateChange when the overall state moves between Synced and Unreachable (not for Pending). */
  const reportState = (): void => {
    const state = status().state;
    if (state === 'Pending' || state === reported) return;
    const was = reported;
    reported = state;
    if (was === undefined && state === 'Synced') return;
    try {
      opts.onStateChange?.(state);
    } catch {
      // As for onChange.
    }
  };

  const kinds: KindState[] = opts.kinds.map((spec) => {
    const ks = { spec, keys: new Set<string>(), state: 'Pending', settled: false } as KindState;
    ks.reflector = new Reflector(
      conn,
      {
        apiVersion: spec.apiVersion,
        kind: spec.kind,
        namespace: opts.namespace,
        labelSelector: spec.labelSelector ?? opts.labelSelector,
      },
      {
        onList(items) {
          const seen = new Set<string>();
          for (const item of items) {
            upsert(ks, item, true);
            seen.add(objectKeyString(keyOf(item)));
          }
          for (const key of [...ks.keys]) if (!seen.has(key)) remove(ks, key, true);
        },
        onEvent(type, obj) {
          if (type === 'DELETED') remove(ks, objectKeyString(keyOf(obj)), false, obj);
          else upsert(ks, obj, false);
        },
        onHealth(h) {
          if (h.ok) {
            ks.state = 'Synced';
            ks.message = undefined;
            ks.lastSyncAt = now();
          } else if (h.error.reason === 'UnknownKind') {
            // Not served (CRD missing or removed): no such objects exist. The reflector keeps retrying.
            for (const key of [...ks.keys]) remove(ks, key, true);
            ks.state = 'Synced';
            ks.message = h.error.message;
            ks.lastSyncAt = now();
          } else {
            ks.state = 'Unreachable';
            ks.message = describe(h.error);
          }
          settle(ks);
          reportState();
        },
      },
      backoff,
    );
    return ks;
  });
  for (const ks of kinds) ks.reflector.start();

  const status = (): CacheStatus => {
    const perKind: KindStatus[] = kinds.map((ks) => ({
      apiVersion: ks.spec.apiVersion,
      kind: ks.spec.kind,
      state: ks.state,
      message: ks.message,
      lastSyncAt: ks.lastSyncAt,
      objects: ks.keys.size,
      lists: ks.reflector.stats.lists,
      watches: ks.reflector.stats.watches,
    }));
    const failing = perKind.find((k) => k.state === 'Unreachable');
    const pending = perKind.some((k) => k.state === 'Pending');
    const times = perKind.map((k) => k.lastSyncAt?.getTime());
    const lastSyncAt =
      times.every((t): t is number => t !== undefined) && times.length > 0 ? new Date(Math.min(...times)) : undefined;
    if (failing)
      return {
        state: 'Unreachable',
        message: `${failing.kind}: ${failing.message ?? 'failing'}`,
        lastSyncAt,
        kinds: perKind,
      };
    return { state: pending ? 'Pending' : 'Synced', lastSyncAt, kinds: perKind };
  };

  return {
    ready(timeoutMs = 30_000) {
      if (kinds.every((k) => k.settled)) return Promise.resolve(status());
      return new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve(status());
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
      });
    },
    status,
    get: (key) => objects.get(objectKeyString(key)),
    list(filter = {}) {
      const out: KubeObject[] = [];
      for (const ks of kinds) {
        if (filter.kind && ks.spec.kind !== filter.kind) continue;
        if (filter.apiVersion && groupOf(ks.spec.apiVersion) !== groupOf(filter.apiVersion)) continue;
        for (const key of ks.keys) {
          const obj = objects.get(key);
          if (obj && (filter.namespace === undefined || obj.metadata.namespace === filter.namespace)) out.push(obj);
        }
      }
      return out;
    },
    indexed(value) {
      const keys = index.get(value);
      if (!keys) return [];
      const out: KubeObject[] = [];
      for (const ks of kinds)
        for (const key of keys) {
          const obj = ks.keys.has(key) ? objects.get(key) : undefined;
          if (obj) out.push(obj);
        }
      return out;
    },
    ownedChildren: (owner) => owners.children(typeof owner === 'string' ? owner : (owner.metadata.uid ?? ''), objects),
    resourceTree: (root) => buildTree(root, (uid) => owners.children(uid, objects)),
    restartWatches(fromResourceVersion) {
      for (const ks of kinds) ks.reflector.restartWatch(fromResourceVersion);
    },
    async stop() {
      await Promise.all(kinds.map((ks) => ks.reflector.stop()));
      for (const w of waiters) w();
    },
  };
}

function describe(err: KubeError): string {
  if (err.status === 401) return 'the API server refused the credentials (401 Unauthorized)';
  return err.status ? `${err.message} (HTTP ${err.status})` : err.message;
}
