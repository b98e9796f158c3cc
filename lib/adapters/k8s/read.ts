/** Reading objects: get one (undefined when absent) or list a kind with paging. */
import type { KubeConnection } from './connection';
import { discoveryFor, resourcePath } from './discovery';
import { errorFromResponse } from './errors';
import { type KubeObject, type ObjectKey, ZKubeObject, zListResponse } from './objects';

/** The live object, or undefined when it (or its kind) does not exist. Other failures throw KubeError. */
export async function getObject(conn: KubeConnection, key: ObjectKey): Promise<KubeObject | undefined> {
  const info = await discoveryFor(conn).lookup(key.apiVersion, key.kind);
  if (!info) return undefined;
  const path = resourcePath(info, key.namespace ?? conn.defaultNamespace, key.name);
  const res = await conn.request({ method: 'GET', path });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw errorFromResponse(res.status, res.body, `get ${key.kind} ${key.name}`);
  return ZKubeObject.parse(JSON.parse(res.body));
}

export interface ListOptions {
  apiVersion: string;
  kind: string;
  /** Omit for all namespaces (or for cluster-scoped kinds). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; the whole list is always returned. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface ObjectList {
  items: KubeObject[];
  /** The list's resourceVersion, to watch from. */
  resourceVersion: string;
}

/** Lists every object of a kind, following `continue` tokens; items get their apiVersion/kind filled in. */
export async function listObjects(conn: KubeConnection, opts: ListOptions): Promise<ObjectList> {
  const info = await discoveryFor(conn).resolve(opts.apiVersion, opts.kind);
  const path = resourcePath(info, opts.namespace);
  const items: KubeObject[] = [];
  let cont: string | undefined;
  let resourceVersion = '';
  do {
    const body = await conn.requestOk({
      method: 'GET',
      path,
      query: {
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        limit: opts.pageSize ?? 500,
        continue: cont,
      },
      signal: opts.signal,
      timeoutMs: 60_000,
    });
    const page = zListResponse.parse(JSON.parse(body));
    for (const item of page.items) items.push({ ...item, apiVersion: opts.apiVersion, kind: opts.kind });
    cont = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (cont);
  return { items, resourceVersion };
}
