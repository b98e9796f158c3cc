/**
 * The per-TaskRun Secret: the secret env values and the files of secret/configMap volumes and workspaces, which the
 * pod reads by `secretKeyRef` and volumes, so no value is ever written into the pod spec. Owned by the pod once it
 * exists (garbage-collected with it), and deleted explicitly at the end as well.
 */
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { sameTaskRunAttempt } from './pod-api';

const secretsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`;

/** The run Secret's name is held by a Secret Keelson did not make for this TaskRun attempt: it is left alone. */
export class RunSecretTakenError extends Error {}

/**
 * Creates the run Secret, annotated with its TaskRun and attempt (`annotations`); returns its uid. One of the same
 * name left by this attempt's earlier worker (same annotations) is replaced; any other (another TaskRun's, whose
 * pod name maps to the same Secret name, or not Keelson's) is never read out or overwritten: RunSecretTakenError.
 */
export async function createRunSecret(
  conn: KubeConnection,
  namespace: string,
  secret: { name: string; stringData: Record<string, string>; data?: Record<string, string> },
  labels: Record<string, string>,
  annotations: Record<string, string>,
): Promise<string | undefined> {
  const body = {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: { name: secret.name, namespace, labels, annotations },
    stringData: secret.stringData,
    ...(secret.data && Object.keys(secret.data).length ? { data: secret.data } : {}),
  };
  const uidOf = (text: string) => (JSON.parse(text) as { metadata?: { uid?: string } }).metadata?.uid;
  const res = await conn.request({ method: 'POST', path: secretsPath(namespace), body });
  if (res.status === 201 || res.status === 200) return uidOf(res.body);
  if (res.status === 409) {
    const path = `${secretsPath(namespace)}/${encodeURIComponent(secret.name)}`;
    const got = await conn.request({ method: 'GET', path });
    if (got.status !== 200) throw errorFromResponse(got.status, got.body, `read Secret ${secret.name}`);
    const existing = JSON.parse(got.body) as {
      metadata?: { annotations?: Record<string, string>; resourceVersion?: string };
    };
    if (!sameTaskRunAttempt(existing, body))
      throw new RunSecretTakenError(
        `a Secret of another TaskRun holds the name "${secret.name}" in namespace "${namespace}"; it was left alone (rename this TaskRun or its PipelineRun)`,
      );
    // Left by this attempt's earlier worker that died before its clean-up: this attempt's values replace it (only
    // the version read, so a Secret made under the name meanwhile is not overwritten).
    const put = await conn.request({
      method: 'PUT',
      path,
      body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata?.resourceVersion } },
    });
    if (put.status === 200) return uidOf(put.body);
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

/** Deletes the run Secret (with `uid`: only that incarnation, never one made under the name since). */
export async function deleteRunSecret(
  conn: KubeConnection,
  namespace: string,
  name: string,
  uid?: string,
): Promise<void> {
  const res = await conn.request({
    method: 'DELETE',
    path: `${secretsPath(namespace)}/${encodeURIComponent(name)}`,
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Background',
      ...(uid ? { preconditions: { uid } } : {}),
    },
  });
  if (res.status === 409 && uid) return;
  if (res.status !== 200 && res.status !== 202 && res.status !== 404)
    throw errorFromResponse(res.status, res.body, `delete Secret ${name}`);
}
