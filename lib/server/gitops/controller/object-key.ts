import { keyOf, type ObjectKey } from '@/lib/adapters/k8s';
import type { KubeObject } from '@/lib/domain/gitops';

/** The adapter's key of a rendered or live object. */
export const objectKey = (obj: KubeObject): ObjectKey => keyOf(obj);
