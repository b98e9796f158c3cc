import { keyOf, type ObjectKey } from '@/lib/adapters/k8s';
import type { KubeObject } from '@/lib/domain/gitops';

/** Rendered YAML may say `creationTimestamp: null`; the API server accepts it, the adapter's type does not. */
export const toApi = (obj: KubeObject) => obj as Parameters<typeof keyOf>[0];

/** The adapter's key of a rendered or live object. */
export const objectKey = (obj: KubeObject): ObjectKey => keyOf(toApi(obj));
