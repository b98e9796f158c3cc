/**
 * The per-TaskRun Secret: the secret env values and the files of secret/configMap volumes and workspaces, which the
 * pod reads by `secretKeyRef` and volumes, so no value is ever written into the pod spec. Owned by the pod once it
 * exists (garbage-collected with it), and deleted explicitly at the end as well.
 */
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';

const secretsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`;

export async function createRunSecret(
  conn: KubeConnection,
  namespace: string,
  secret: { name: string; stringData: Record<string, string>; data?: Record<string, string> },
  labels: Record<string, string>,
): Promise<void> {
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: secret.name, namespace, labels },
    stringData: secret.stringData,
    ...(secret.data && Object.keys(secret.data).length ? { data: secret.data } : {}),
  };
  const res = await conn.request({ method: 'POST', path: secretsPath(namespace), body });
  if (res.status === 201 || res.status === 200) return;
  if (res.status === 409) {
    // Left by an attempt whose worker died before its clean-up: this attempt's values replace it.
    const put = await conn.request({
      method: 'PUT',
      path: `${secretsPath(namespace)}/${encodeURIComponent(secret.name)}`,
      body,
    });
    if (put.status === 200) return;
    throw errorFromResponse(put.status, put.body, `replace Secret ${secret.name}`);
  }
  throw errorFromResponse(res.status, res.body, `create Secret ${secret.name}`);
}

/** Makes the pod the Secret's owner, so the Secret goes when the pod does, whoever deletes it. */
export async function ownRunSecret(
  conn: KubeConnection,
  namespace: string,
  secretName: string,
  pod: { name: string; uid: string },
): Promise<void> {
  const res = await conn.request({
    method: 'PATCH',
    path: `${secretsPath(namespace)}/${encodeURIComponent(secretName)}`,
    contentType: 'application/merge-patch+json',
    body: { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.name, uid: pod.uid }] } },
  });
  if (res.status !== 200) throw errorFromResponse(res.status, res.body, `own Secret ${secretName}`);
}

export async function deleteRunSecret(conn: KubeConnection, namespace: string, name: string): Promise<void> {
  const res = await conn.request({
    method: 'DELETE',
    path: `${secretsPath(namespace)}/${encodeURIComponent(name)}`,
    body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
  });
  if (res.status !== 200 && res.status !== 202 && res.status !== 404)
    throw errorFromResponse(res.status, res.body, `delete Secret ${name}`);
}
