/**
 * Writing objects: server-side apply (Argo CD's ServerSideApply: one field manager, force on
 * conflicts), its dry-run for diffs, create (for generateName hooks), delete and namespaces.
 */
import type { KubeConnection } from './connection';
import { discoveryFor, resourcePath, type ResourceInfo } from './discovery';
import { KubeError, errorFromResponse } from './errors';
import { type KubeObject, type ObjectKey, ZKubeObject } from './objects';

export const FIELD_MANAGER = 'keelson';

export interface ApplyOptions {
  fieldManager?: string;
  /** Take over fields owned by other managers (default true, as Argo CD does). */
  force?: boolean;
  dryRun?: boolean;
  /** Unknown or duplicate fields: Strict (default, like kubectl) fails, Warn/Ignore let them through (Validate=false). */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Namespace for namespaced objects that have none. */
  defaultNamespace?: string;
}

export interface ApplyResult {
  /** The object as the API server stored it (or would store it, for a dry run), with defaults filled in. */
  object: KubeObject;
  /** True when the apply created the object. */
  created: boolean;
}

/** Resolves the object's resource and places it: namespaced kinds need a namespace, cluster-scoped ones lose theirs. */
async function placed(
  conn: KubeConnection,
  obj: KubeObject,
  defaultNamespace?: string,
): Promise<{ info: ResourceInfo; body: KubeObject }> {
  const info = await discoveryFor(conn).resolve(obj.apiVersion, obj.kind);
  const { namespace, ...meta } = obj.metadata;
  if (!info.namespaced) return { info, body: { ...obj, metadata: meta } };
  const ns = namespace || defaultNamespace;
  if (!ns)
    throw new KubeError(`${obj.kind} ${obj.metadata.name ?? ''} is namespaced but has no namespace`, 400, 'BadRequest');
  return { info, body: { ...obj, metadata: { ...meta, namespace: ns } } };
}

function parseObject(body: string, what: string): KubeObject {
  const parsed = ZKubeObject.safeParse(JSON.parse(body));
  if (!parsed.success)
    throw new KubeError(`${what}: the API server answered with something that is not an object`, 502, 'BadGateway');
  return parsed.data;
}

/** Server-side apply. Errors are KubeErrors carrying the API server's message, HTTP status and causes. */
export async function applyObject(
  conn: KubeConnection,
  obj: KubeObject,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  const name = obj.metadata.name;
  if (!name)
    throw new KubeError(
      `${obj.kind} has no metadata.name: server-side apply needs one (use createObject for generateName)`,
      400,
      'BadRequest',
    );
  const { info, body } = await placed(conn, obj, opts.defaultNamespace);
  const what = `apply ${obj.kind} ${name}`;
  const res = await conn.request({
    method: 'PATCH',
    path: resourcePath(info, body.metadata.namespace, name),
    query: {
      fieldManager: opts.fieldManager ?? FIELD_MANAGER,
      force: opts.force ?? true,
      fieldValidation: opts.fieldValidation ?? 'Strict',
      dryRun: opts.dryRun ? 'All' : undefined,
    },
    // JSON is YAML: the apply content type accepts it.
    contentType: 'application/apply-patch+yaml',
    body,
  });
  if (res.status !== 200 && res.status !== 201) throw errorFromResponse(res.status, res.body, what);
  return { object: parseObject(res.body, what), created: res.status === 201 };
}

/** The merged object a server-side apply would produce (server defaults, other managers' fields), not persisted. */
export function applyDryRun(
  conn: KubeConnection,
  obj: KubeObject,
  opts: Omit<ApplyOptions, 'dryRun'> = {},
): Promise<ApplyResult> {
  return applyObject(conn, obj, { ...opts, dryRun: true });
}

/** POST create; needed for objects with generateName (hooks). */
export async function createObject(
  conn: KubeConnection,
  obj: KubeObject,
  opts: Pick<ApplyOptions, 'fieldManager' | 'dryRun' | 'defaultNamespace'> = {},
): Promise<KubeObject> {
  const { info, body } = await placed(conn, obj, opts.defaultNamespace);
  const what = `create ${obj.kind} ${obj.metadata.name ?? obj.metadata.generateName ?? ''}`;
  const res = await conn.request({
    method: 'POST',
    path: resourcePath(info, body.metadata.namespace),
    query: { fieldManager: opts.fieldManager ?? FIELD_MANAGER, dryRun: opts.dryRun ? 'All' : undefined },
    body,
  });
  if (res.status !== 200 && res.status !== 201) throw errorFromResponse(res.status, res.body, what);
  return parseObject(res.body, what);
}

export interface DeleteOptions {
  /** Foreground: the object stays (with a deletionTimestamp) until its dependents are gone. Default Foreground. */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

/** Requests deletion. `deleted: false` when the object (or its kind) was already gone. Does not wait for removal. */
export async function deleteObject(
  conn: KubeConnection,
  key: ObjectKey,
  opts: DeleteOptions = {},
): Promise<{ deleted: boolean }> {
  const info = await discoveryFor(conn).lookup(key.apiVersion, key.kind);
  if (!info) return { deleted: false };
  const res = await conn.request({
    method: 'DELETE',
    path: resourcePath(info, key.namespace ?? conn.defaultNamespace, key.name),
    query: { dryRun: opts.dryRun ? 'All' : undefined },
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: opts.propagationPolicy ?? 'Foreground',
      gracePeriodSeconds: opts.gracePeriodSeconds,
    },
  });
  if (res.status === 404) return { deleted: false };
  if (res.status !== 200 && res.status !== 202)
    throw errorFromResponse(res.status, res.body, `delete ${key.kind} ${key.name}`);
  return { deleted: true };
}

/** Creates the namespace unless it exists (Argo CD's CreateNamespace=true). Never changes an existing one. */
export async function ensureNamespace(
  conn: KubeConnection,
  name: string,
  meta: { labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Promise<'created' | 'exists'> {
  const get = await conn.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(name)}` });
  if (get.status === 200) return 'exists';
  if (get.status !== 404) throw errorFromResponse(get.status, get.body, `get namespace ${name}`);
  const res = await conn.request({
    method: 'POST',
    path: '/api/v1/namespaces',
    query: { fieldManager: FIELD_MANAGER },
    body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...meta } },
  });
  if (res.status === 409) return 'exists';
  if (res.status !== 201 && res.status !== 200)
    throw errorFromResponse(res.status, res.body, `create namespace ${name}`);
  return 'created';
}
