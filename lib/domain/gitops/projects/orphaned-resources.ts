/**
 * Argo CD's orphaned resources monitoring (AppProject `spec.orphanedResources`, the controller's getResourceTree and
 * isKnownOrphanedResourceExclusion): an orphaned resource is a top-level (no ownerReferences) namespaced resource in
 * an app's destination namespace that no application manages. Argo CD's own exclusions (every namespace's `default`
 * ServiceAccount and `kube-root-ca.crt` ConfigMap, the `kubernetes` Service of `default`), the project's `ignore`
 * entries (group, kind and name globs; an empty kind or name matches any) and kinds the project does not permit in a
 * namespace are left out. `warn` defaults to true once `orphanedResources` is set (OrphanedResourcesMonitorSettings
 * IsWarn). Pure: no I/O.
 */
import { formatResourceKey, resourceId, type KubeObject, type ResourceId } from '../k8s-object';
import { trackedBy } from '../tracking';
import type { TAppProjectSpec } from './app-project-schema';
import { globMatch } from './glob';
import { isGroupKindPermitted } from './resource-permitted';

export type TOrphanedResourcesSettings = NonNullable<TAppProjectSpec['orphanedResources']>;
/** One orphaned resource: group ('' for core), kind, namespace and name. */
export type TOrphanedResource = ResourceId;

/** Argo CD's condition type, raised when `warn` is on and the app's namespace has orphaned resources. */
export const ORPHANED_RESOURCE_WARNING = 'OrphanedResourceWarning';

/** OrphanedResourcesMonitorSettings.IsWarn: an absent `warn` means true. */
export function isOrphanedWarn(settings: TOrphanedResourcesSettings): boolean {
  return settings.warn ?? true;
}

/** Argo CD's message for the condition. */
export function orphanedWarningMessage(count: number): string {
  return `Application has ${count} orphaned resources`;
}

function isKnownExclusion(r: ResourceId): boolean {
  if (r.group !== '') return false;
  if (r.namespace === 'default' && r.kind === 'Service' && r.name === 'kubernetes') return true;
  if (r.kind === 'ServiceAccount' && r.name === 'default') return true;
  return r.kind === 'ConfigMap' && r.name === 'kube-root-ca.crt';
}

function isIgnored(settings: TOrphanedResourcesSettings, r: ResourceId): boolean {
  return (settings.ignore ?? []).some(
    (item) =>
      (!item.kind || globMatch(item.kind, r.kind)) &&
      globMatch(item.group ?? '', r.group) &&
      (!item.name || globMatch(item.name, r.name)),
  );
}

export interface OrphanedResourcesInput {
  /** The project's spec; nothing is orphaned when `orphanedResources` is unset. */
  project: Pick<TAppProjectSpec, 'orphanedResources' | 'namespaceResourceWhitelist' | 'namespaceResourceBlacklist'>;
  /** The app's destination namespace. */
  namespace: string;
  /** Live objects (any namespace: only `namespace`'s are looked at). */
  live: Iterable<KubeObject>;
  /** Resource keys (`group/kind/namespace/name`) the app manages, tracked or not yet. */
  managed: ReadonlySet<string>;
}

/** The orphaned resources of an app's namespace, sorted by group, kind and name. */
export function findOrphanedResources(input: OrphanedResourcesInput): TOrphanedResource[] {
  const settings = input.project.orphanedResources;
  if (!settings || !input.namespace) return [];
  const out: TOrphanedResource[] = [];
  for (const obj of input.live) {
    if ((obj.metadata.namespace ?? '') !== input.namespace) continue;
    if ((obj.metadata.ownerReferences ?? []).length > 0) continue;
    if (trackedBy(obj) !== undefined) continue; // managed by an application (this one or another)
    const id = resourceId(obj);
    if (input.managed.has(formatResourceKey(id))) continue;
    if (!isGroupKindPermitted(input.project, id, true).permitted) continue;
    if (isKnownExclusion(id) || isIgnored(settings, id)) continue;
    out.push(id);
  }
  const order = (r: ResourceId) => `${r.group}/${r.kind}/${r.name}`;
  return out.sort((a, b) => order(a).localeCompare(order(b)));
}
