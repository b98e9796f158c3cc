import { annotationList, type KubeObject } from './k8s-object';

/** Per-resource options, e.g. `argocd.argoproj.io/sync-options: Prune=false,PruneLast=true`. */
export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';

export function hasSyncOption(obj: KubeObject, option: string): boolean {
  return annotationList(obj, ANNOTATION_SYNC_OPTIONS).includes(option);
}

export interface AppSyncOptions {
  createNamespace: boolean;
  serverSideApply: boolean;
  pruneLast: boolean;
  applyOutOfSyncOnly: boolean;
  validate: boolean;
}

/** An Application's `syncPolicy.syncOptions` list (`CreateNamespace=true`, `Validate=false`, …). */
export function parseAppSyncOptions(options: readonly string[] = []): AppSyncOptions {
  const set = new Set(options.map((o) => o.trim()));
  return {
    createNamespace: set.has('CreateNamespace=true'),
    serverSideApply: set.has('ServerSideApply=true'),
    pruneLast: set.has('PruneLast=true'),
    applyOutOfSyncOnly: set.has('ApplyOutOfSyncOnly=true'),
    validate: !set.has('Validate=false'),
  };
}
