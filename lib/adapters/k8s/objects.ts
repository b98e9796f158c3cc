/** Kubernetes API shapes beyond the object itself (lists, Status) and the adapter's object key. */
import { z } from 'zod';
import { groupOf, ZObjectMeta, type KubeObject } from '@/lib/domain/gitops/k8s-object';

// One KubeObject schema for rendered manifests and live objects: the domain's.
export { groupOf, ZKubeObject } from '@/lib/domain/gitops/k8s-object';
export type { KubeObject, ObjectMeta, OwnerReference } from '@/lib/domain/gitops/k8s-object';

/** Items of a list response: the API server omits apiVersion/kind on built-in kinds. */
export const zListResponse = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional(), continue: z.string().optional() }).optional(),
  items: z.array(
    z.looseObject({ apiVersion: z.string().optional(), kind: z.string().optional(), metadata: ZObjectMeta }),
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
