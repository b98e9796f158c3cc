import { z } from 'zod';

/**
 * The minimal Kubernetes object Keelson reasons about. Every field the engine reads is typed;
 * everything else is kept as-is (loose objects), because manifests carry arbitrary spec/data.
 */
export const ZOwnerReference = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string().optional(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});

/** The fields of a managedFields entry Keelson reads (fieldsV1 stays unknown until narrowed). */
export const ZManagedFieldsEntry = z.looseObject({ manager: z.string().optional(), fieldsType: z.string().optional() });

export const ZObjectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  generation: z.number().int().optional(),
  resourceVersion: z.string().optional(),
  creationTimestamp: z.string().nullable().optional(),
  deletionTimestamp: z.string().nullable().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
  ownerReferences: z.array(ZOwnerReference).optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(ZManagedFieldsEntry).optional(),
});

export const ZKubeObject = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: ZObjectMeta,
  spec: z.unknown().optional(),
  status: z.unknown().optional(),
  data: z.unknown().optional(),
});

/** Any Kubernetes object: a rendered manifest or a live object read from an API server. */
export type KubeObject = z.infer<typeof ZKubeObject>;
export type ObjectMeta = z.infer<typeof ZObjectMeta>;
export type OwnerReference = z.infer<typeof ZOwnerReference>;
export type ManagedFieldsEntry = z.infer<typeof ZManagedFieldsEntry>;

export type ParseKubeObjectResult = { ok: true; obj: KubeObject } | { ok: false; message: string };

/** Validates an untrusted value (a YAML document, an API response) as a Kubernetes object. */
export function parseKubeObject(value: unknown): ParseKubeObjectResult {
  const parsed = ZKubeObject.safeParse(value);
  if (parsed.success) return { ok: true, obj: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `${issue.path.join('.') || '(object)'}: ${issue.message}` };
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export interface ResourceId {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

export function resourceId(obj: KubeObject): ResourceId {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
  };
}

/** `group/kind/namespace/name`, with empty segments for the core group and cluster-scoped objects. */
export function resourceKey(obj: KubeObject): string {
  const id = resourceId(obj);
  return formatResourceKey(id);
}

export function formatResourceKey(id: ResourceId): string {
  return `${id.group}/${id.kind}/${id.namespace}/${id.name}`;
}

export function parseResourceKey(key: string): ResourceId | undefined {
  const parts = key.split('/');
  if (parts.length !== 4 || !parts[1] || !parts[3]) return undefined;
  return { group: parts[0], kind: parts[1], namespace: parts[2], name: parts[3] };
}

/**
 * Built-in cluster-scoped kinds, by `group/kind`. Custom resources need discovery: pass a
 * `isNamespaced` lookup to `withDefaultNamespace` for anything not listed here.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'policy/PodSecurityPolicy',
  'certificates.k8s.io/CertificateSigningRequest',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

/** Answers from API discovery: true/false when known, undefined when the kind is unknown. */
export type IsNamespaced = (group: string, kind: string) => boolean | undefined;

export function isClusterScoped(obj: KubeObject, isNamespaced?: IsNamespaced): boolean {
  const group = groupOf(obj.apiVersion);
  const known = isNamespaced?.(group, obj.kind);
  if (known !== undefined) return !known;
  return CLUSTER_SCOPED_KINDS.has(`${group}/${obj.kind}`);
}

/**
 * The destination namespace fills in namespaced objects that name none (as `kubectl apply -n` does);
 * cluster-scoped objects lose any namespace so their keys match the live objects, which have none.
 */
export function withDefaultNamespace(obj: KubeObject, namespace: string, isNamespaced?: IsNamespaced): KubeObject {
  if (isClusterScoped(obj, isNamespaced)) {
    if (obj.metadata.namespace === undefined) return obj;
    const { namespace: _dropped, ...metadata } = obj.metadata;
    return { ...obj, metadata };
  }
  if (obj.metadata.namespace) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

export function annotation(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.annotations?.[key];
}

/** Comma-separated annotation values, trimmed, empties dropped (`a, b,` → [a, b]). */
export function annotationList(obj: KubeObject, key: string): string[] {
  const raw = annotation(obj, key);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
