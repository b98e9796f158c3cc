/** The only code in Keelson that talks to Kubernetes. */
export { applyDryRun, applyObject, createObject, deleteObject, ensureNamespace, FIELD_MANAGER } from './apply';
export type { ApplyOptions, ApplyResult, DeleteOptions } from './apply';
export { createClusterCache } from './cluster-cache';
export { clusterClient } from './cluster-client';
export type {
  CacheEvent,
  CacheKind,
  CacheState,
  CacheStatus,
  ClusterCache,
  ClusterCacheOptions,
  KindStatus,
} from './cluster-cache';
export {
  checkCluster,
  connect,
  safeKubeconfigText,
  UnsafeKubeconfigError,
  zClusterCredentials,
  zStoredClusterCredentials,
} from './connect';
export type { ClusterCheck, ClusterCredentials, KubeVersion, StoredClusterCredentials } from './connect';
export { KubeConnection } from './connection';
export { Discovery, discoveryFor } from './discovery';
export type { ResourceInfo } from './discovery';
export { isKubeError, KubeError } from './errors';
export { listEvents } from './events';
export type { EventTarget, KubeEvent } from './events';
export { keyOf, objectKeyString, ZKubeObject } from './objects';
export type { KubeObject, ObjectKey, ObjectMeta, OwnerReference } from './objects';
export type { ResourceNode } from './owner-index';
export { getObject, listObjects } from './read';
export type { ListOptions, ObjectList } from './read';
