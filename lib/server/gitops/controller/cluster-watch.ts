/**
 * The controller's view of one cluster: one connection and one watch cache of every kind its apps
 * use (plus ReplicaSets and Pods for the tree). The set of kinds grows as apps need more; the cache
 * is then rebuilt with the larger set, serving the old one until the new one has listed.
 */
import {
  clusterClient,
  connect,
  createClusterCache,
  discoveryFor,
  isKubeError,
  type CacheEvent,
  type CacheKind,
  type ClusterCache,
  type KubeConnection,
} from '@/lib/adapters/k8s';
import { trackedBy, type KubeObject } from '@/lib/domain/gitops';
import type { ClusterTarget } from '../app-target';
import type { ClusterClient } from '../ports';

const kindsOf = (apiVersion: string, kinds: string[]): CacheKind[] => kinds.map((kind) => ({ apiVersion, kind }));
const BASE_KINDS: CacheKind[] = [
  ...kindsOf('v1', ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'PersistentVolumeClaim', 'Pod']),
  ...kindsOf('apps/v1', ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']),
  ...kindsOf('batch/v1', ['Job', 'CronJob']),
];

const kindId = (k: { apiVersion: string; kind: string }) =>
  `${k.apiVersion.includes('/') ? k.apiVersion.split('/')[0] : ''}/${k.kind}`;

export interface ClusterWatch {
  readonly name: string;
  readonly conn: KubeConnection;
  /** Apply, dry-run, get and delete on this cluster (the port the sync and the comparison use). */
  readonly client: ClusterClient;
  /** Adds kinds to the watch (no-op for kinds already watched or not served by the cluster). */
  ensureKinds(kinds: { apiVersion: string; kind: string }[]): Promise<void>;
  cache(): ClusterCache;
  watches(kind: { apiVersion: string; kind: string }): boolean;
  /** Undefined while reachable; else why not. */
  unreachable(): string | undefined;
  stop(): Promise<void>;
}

export async function openClusterWatch(
  target: ClusterTarget,
  onChange: (event: CacheEvent) => void,
): Promise<ClusterWatch> {
  const conn = await connect(target.credentials);
  const kinds = new Map(BASE_KINDS.map((k) => [kindId(k), k]));
  const build = () => {
    // Lost or back: each tracked object is reported as changed, so its app is compared again at once (Unknown with
    // the reason, or its real state again), not at its next periodic refresh.
    const touchTracked = (): void => {
      for (const obj of cache.list()) if (trackedBy(obj)) onChange({ type: 'MODIFIED', obj, key: '', fromList: true });
    };
    const cache: ClusterCache = createClusterCache(conn, {
      kinds: [...kinds.values()],
      onChange,
      onStateChange: touchTracked,
      backoff: { initialMs: 500, maxMs: 10_000 },
      // Each compare asks for its app's tracked objects: indexed, not a scan of every object per app.
      indexBy: trackedBy,
    });
    return cache;
  };
  let current: ClusterCache = build();
  await current.ready(15_000);
  let rebuilding: Promise<void> = Promise.resolve();

  return {
    name: target.name,
    conn,
    client: clusterClient(conn),
    async ensureKinds(wanted) {
      await rebuilding;
      const missing: CacheKind[] = [];
      for (const k of wanted) {
        if (kinds.has(kindId(k))) continue;
        const info = await discoveryFor(conn)
          .lookup(k.apiVersion, k.kind)
          .catch(() => undefined);
        if (info && info.verbs.includes('watch')) missing.push({ apiVersion: k.apiVersion, kind: k.kind });
      }
      if (missing.length === 0) return;
      for (const k of missing) kinds.set(kindId(k), k);
      rebuilding = (async () => {
        const next = build();
        await next.ready(15_000);
        const old = current;
        current = next;
        await old.stop();
      })();
      await rebuilding;
    },
    cache: () => current,
    watches: (k) => kinds.has(kindId(k)),
    unreachable() {
      const s = current.status();
      return s?.state === 'Unreachable' ? (s.message ?? 'the API server does not answer') : undefined;
    },
    async stop() {
      await current.stop();
      conn.close();
    },
  };
}

/**
 * Argo CD's words for a destination it cannot read (a ComparisonError on the app, the message of a sync that
 * ends in Error): the connection's error, credentials redacted by the adapter.
 */
export const unreachableMessage = (cluster: string, why: string): string =>
  `Failed to load live state: cluster "${cluster}" is unreachable: ${why}`;

/** True for a request that got no answer (connection refused or dropped, timeout): not an answer like 404 or 403. */
export const noAnswer = (err: unknown): boolean => isKubeError(err, 0);

/** Live objects carrying this app's tracking annotation (hooks included). */
export function trackedObjects(watch: ClusterWatch, isTracked: (obj: KubeObject) => boolean): KubeObject[] {
  return watch.cache().list().filter(isTracked);
}
