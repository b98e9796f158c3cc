/** Kubernetes object shapes as Keelson reads them: parsed with zod, unknown fields kept. */
import { z } from 'zod';

const zStringMap = z.record(z.string(), z.string());

export const zOwnerReference = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof zOwnerReference>;

export const zManagedFieldsEntry = z.looseObject({
  manager: z.string().optional(),
  operation: z.string().optional(),
  apiVersion: z.string().optional(),
  time: z.string().optional(),
  fieldsType: z.string().optional(),
  subresource: z.string().optional(),
});
export type ManagedFieldsEntry = z.infer<typeof zManagedFieldsEntry>;

export const zObjectMeta = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: zStringMap.optional(),
  annotations: zStringMap.optional(),
  ownerReferences: z.array(zOwnerReference).optional(),
  managedFields: z.array(zManagedFieldsEntry).optional(),
});
export type ObjectMeta = z.infer<typeof zObjectMeta>;

export const zKubeObject = z.looseObject({
  apiVersion: z.string().min(1),
  kind: z.string().min(1),
  metadata: zObjectMeta,
});
/** Any Kubernetes object; fields beyond apiVersion/kind/metadata are `unknown` until narrowed. */
export type KubeObject = z.infer<typeof zKubeObject>;

/** Items of a list response: the API server omits apiVersion/kind on built-in kinds. */
export const zListResponse = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional(), continue: z.string().optional() }).optional(),
  items: z.array(
    z.looseObject({ apiVersion: z.string().optional(), kind: z.string().optional(), metadata: zObjectMeta }),
  ),
});

export const zStatus = z.looseObject({
  kind: z.literal('Status'),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  code: z.number().optional(),
  details: z
    .looseObject({
      causes: z
        .array(
          z.looseObject({
            message: z.string().optional(),
            field: z.string().optional(),
            reason: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
export type KubeStatus = z.infer<typeof zStatus>;

/** Identifies one object. `namespace` is ignored for cluster-scoped kinds. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * A version-independent string key, `group/Kind/namespace/name` (Argo CD's ResourceKey):
 * apps/v1 and a later apps/v2 Deployment of the same name are the same object.
 */
export function objectKeyString(key: ObjectKey): string {
  return `${groupOf(key.apiVersion)}/${key.kind}/${key.namespace ?? ''}/${key.name}`;
}

export function keyOf(obj: KubeObject): ObjectKey {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
  };
}

export function parseKubeObject(value: unknown): KubeObject {
  return zKubeObject.parse(value);
}
