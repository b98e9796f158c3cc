/**
 * The run namespace: created when missing, labelled as Keelson's for its project with Pod Security `baseline`, and
 * kept isolated (NetworkPolicy, the admin's ResourceQuota and LimitRange). An existing namespace is used only when
 * it carries Keelson's labels for this project (security review F1): never kube-system, an app's or another
 * project's namespace with its ServiceAccounts, claims and pull secrets.
 */
import {
  hasDefaults,
  hasQuota,
  isolationPolicy,
  LIMIT_RANGE_NAME,
  limitRangeObject,
  QUOTA_NAME,
  quotaObject,
  type NamespaceIsolation,
} from '../../../domain/pipeline/namespace-isolation';
import { applyObject, deleteObject, FIELD_MANAGER } from '../../k8s/apply';
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { labelValue, MANAGED_BY, MANAGED_BY_KEELSON, POD_SECURITY_ENFORCE, PROJECT_LABEL } from './labels';

/** An existing namespace that is not Keelson's for the TaskRun's project: the TaskRun fails, naming the fix. */
export class NamespaceNotOwned extends Error {}

interface NamespaceMeta {
  metadata?: { uid?: string; labels?: Record<string, string> };
}

export function notOwnedMessage(namespace: string, project: string): string {
  const value = labelValue(project);
  return (
    `namespace "${namespace}" exists but is not Keelson's for project "${project}" (it lacks the labels ` +
    `${MANAGED_BY}=${MANAGED_BY_KEELSON} and ${PROJECT_LABEL}=${value}), so no pod is created there. ` +
    `To let project "${project}" run its pods in it, an admin labels it: kubectl label namespace ${namespace} ` +
    `${MANAGED_BY}=${MANAGED_BY_KEELSON} ${PROJECT_LABEL}=${value}; or change the namespace template in ` +
    `Settings → Pipelines to give a namespace of its own (Keelson creates it).`
  );
}

export class RunNamespaces {
  /** Namespaces (by uid, so one deleted and made again is seen anew) whose isolation objects were applied. */
  private readonly isolated = new Set<string>();

  constructor(private readonly isolation: NamespaceIsolation = { denyCidrs: [] }) {}

  /**
   * Makes sure the namespace exists and is Keelson's for `project` (one GET per TaskRun, nothing cached: a namespace
   * deleted between two TaskRuns is made again), then that its isolation objects are in place (applied once per
   * namespace for the worker's life; again after a failure). Throws NamespaceNotOwned for someone else's namespace.
   */
  async ensure(conn: KubeConnection, namespace: string, project: string): Promise<'created' | 'exists'> {
    const labels = {
      [PROJECT_LABEL]: labelValue(project),
      [MANAGED_BY]: MANAGED_BY_KEELSON,
    };
    let found = await getNamespace(conn, namespace);
    let result: 'created' | 'exists' = 'exists';
    if (!found) {
      const res = await conn.request({
        method: 'POST',
        path: '/api/v1/namespaces',
        query: { fieldManager: FIELD_MANAGER },
        body: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: namespace, labels: { ...labels, [POD_SECURITY_ENFORCE]: 'baseline' } },
        },
      });
      if (res.status === 409) found = await getNamespace(conn, namespace);
      else if (res.status !== 201 && res.status !== 200)
        throw errorFromResponse(res.status, res.body, `create namespace ${namespace}`);
      else {
        found = JSON.parse(res.body) as NamespaceMeta;
        result = 'created';
      }
    }
    const has = found?.metadata?.labels ?? {};
    if (!found || Object.entries(labels).some(([k, v]) => has[k] !== v))
      throw new NamespaceNotOwned(notOwnedMessage(namespace, project));
    await this.isolate(conn, namespace, found.metadata?.uid ?? '', labels);
    return result;
  }

  private async isolate(conn: KubeConnection, namespace: string, uid: string, labels: Record<string, string>) {
    const key = `${namespace}/${uid}`;
    if (uid && this.isolated.has(key)) return;
    const { denyCidrs, quota, defaults } = this.isolation;
    await applyObject(conn, isolationPolicy(namespace, denyCidrs, labels));
    if (hasDefaults(defaults)) await applyObject(conn, limitRangeObject(namespace, defaults, labels));
    else await deleteObject(conn, { apiVersion: 'v1', kind: 'LimitRange', namespace, name: LIMIT_RANGE_NAME });
    if (hasQuota(quota)) await applyObject(conn, quotaObject(namespace, quota, labels));
    else await deleteObject(conn, { apiVersion: 'v1', kind: 'ResourceQuota', namespace, name: QUOTA_NAME });
    if (uid) this.isolated.add(key);
  }
}

async function getNamespace(conn: KubeConnection, name: string): Promise<NamespaceMeta | undefined> {
  const get = await conn.request({ method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(name)}` });
  if (get.status === 404) return undefined;
  if (get.status !== 200) throw errorFromResponse(get.status, get.body, `get namespace ${name}`);
  return JSON.parse(get.body) as NamespaceMeta;
}
