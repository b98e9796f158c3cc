/**
 * apiVersion + kind → resource plural and scope, from the API server's discovery documents
 * (`/api/v1`, `/apis/<group>/<version>`). Cached per connection and per group-version; a kind
 * missing from the cache re-fetches its group-version (a CRD installed later shows up).
 */
import { z } from 'zod';
import type { KubeConnection } from './connection';
import { KubeError, errorFromResponse } from './errors';

export interface ResourceInfo {
  apiVersion: string;
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

const zResourceList = z.looseObject({
  groupVersion: z.string(),
  resources: z.array(
    z.looseObject({
      name: z.string(),
      kind: z.string(),
      namespaced: z.boolean(),
      verbs: z.array(z.string()).optional(),
    }),
  ),
});

interface GroupVersionEntry {
  fetchedAt: number;
  kinds: Map<string, ResourceInfo>;
}

/** A negative answer is re-checked at most this often, so unknown kinds can't hammer the API server. */
const NEGATIVE_RECHECK_MS = 500;

export class Discovery {
  readonly #cache = new Map<string, GroupVersionEntry>();
  readonly #inflight = new Map<string, Promise<GroupVersionEntry>>();

  constructor(
    private readonly conn: KubeConnection,
    private readonly now: () => number = Date.now,
  ) {}

  async #fetch(apiVersion: string): Promise<GroupVersionEntry> {
    const running = this.#inflight.get(apiVersion);
    if (running) return running;
    const p = (async () => {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const res = await this.conn.request({ method: 'GET', path });
      const entry: GroupVersionEntry = { fetchedAt: this.now(), kinds: new Map() };
      if (res.status === 404) return entry; // group-version not served (yet)
      if (res.status !== 200) {
        throw errorFromResponse(res.status, res.body, `discovery of ${apiVersion}`);
      }
      const list = zResourceList.parse(JSON.parse(res.body));
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
      for (const r of list.resources) {
        if (r.name.includes('/')) continue; // subresources such as deployments/status
        entry.kinds.set(r.kind, {
          apiVersion,
          group,
          version,
          kind: r.kind,
          resource: r.name,
          namespaced: r.namespaced,
          verbs: r.verbs ?? [],
        });
      }
      return entry;
    })();
    this.#inflight.set(apiVersion, p);
    try {
      const entry = await p;
      this.#cache.set(apiVersion, entry);
      return entry;
    } finally {
      this.#inflight.delete(apiVersion);
    }
  }

  /** The resource for apiVersion+kind, or undefined when the cluster does not serve it. */
  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    const cached = this.#cache.get(apiVersion);
    const hit = cached?.kinds.get(kind);
    if (hit) return hit;
    if (cached && this.now() - cached.fetchedAt < NEGATIVE_RECHECK_MS) return undefined;
    return (await this.#fetch(apiVersion)).kinds.get(kind);
  }

  /** Like lookup, but an unknown kind is a KubeError('UnknownKind', 404) that says what to check. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const info = await this.lookup(apiVersion, kind);
    if (!info) {
      throw new KubeError(
        `the cluster does not serve kind ${kind} in ${apiVersion} (is its CustomResourceDefinition installed?)`,
        404,
        'UnknownKind',
      );
    }
    return info;
  }

  /** Forgets everything (e.g. after a CRD was deleted). */
  invalidate(apiVersion?: string): void {
    if (apiVersion) this.#cache.delete(apiVersion);
    else this.#cache.clear();
  }
}

const perConnection = new WeakMap<KubeConnection, Discovery>();

/** The shared discovery cache of a connection. */
export function discoveryFor(conn: KubeConnection): Discovery {
  let d = perConnection.get(conn);
  if (!d) {
    d = new Discovery(conn);
    perConnection.set(conn, d);
  }
  return d;
}

/** URL path of a collection (`name` undefined) or of one object. */
export function resourcePath(info: ResourceInfo, namespace: string | undefined, name?: string): string {
  const base = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${info.resource}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}
