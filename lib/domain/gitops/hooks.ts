import { annotation, annotationList, type KubeObject } from './k8s-object';

/** Argo CD's and Helm's hook annotations; both are honoured whatever tool rendered the manifest. */
export const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
export const ANNOTATION_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const HELM_ANNOTATION_HOOK = 'helm.sh/hook';
export const HELM_ANNOTATION_HOOK_WEIGHT = 'helm.sh/hook-weight';
export const HELM_ANNOTATION_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];
export type HookType = SyncPhase | 'Skip';
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

const HOOK_TYPES: ReadonlySet<string> = new Set<HookType>(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip']);

/** gitops-engine `hook/helm/type.go`; other Helm hooks (test, pre-delete, pre-rollback…) are not hooks. */
const HELM_HOOK_TYPES: Record<string, SyncPhase> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const DELETE_POLICIES: Record<string, HookDeletePolicy> = {
  HookSucceeded: 'HookSucceeded',
  HookFailed: 'HookFailed',
  BeforeHookCreation: 'BeforeHookCreation',
};

const HELM_DELETE_POLICIES: Record<string, HookDeletePolicy> = {
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
  'before-hook-creation': 'BeforeHookCreation',
};

function argoHookTypes(obj: KubeObject): HookType[] {
  return annotationList(obj, ANNOTATION_HOOK).filter((t): t is HookType => HOOK_TYPES.has(t));
}

/** Hook types; Helm's annotation is read only when Argo CD's names none (gitops-engine `hook.Types`). */
export function hookTypes(obj: KubeObject): HookType[] {
  const argo = argoHookTypes(obj);
  if (argo.length > 0) return argo;
  return annotationList(obj, HELM_ANNOTATION_HOOK)
    .map((t) => HELM_HOOK_TYPES[t])
    .filter((t): t is SyncPhase => t !== undefined);
}

/** `hook: Skip` alone means "never apply this"; Skip next to other types is ignored. */
export function isSkipped(obj: KubeObject): boolean {
  const types = hookTypes(obj);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * A hook is created during its phase(s) and is not part of the app's compared resources. As upstream,
 * an Argo CD hook annotation makes the object a hook even when its value names no known type (the object
 * then runs in no phase).
 */
export function isHook(obj: KubeObject): boolean {
  if (annotation(obj, ANNOTATION_HOOK) !== undefined) return !isSkipped(obj);
  return hookTypes(obj).length > 0;
}

/** The phases an object is applied in: hooks in their own, resources in Sync, skipped ones in none. */
export function syncPhases(obj: KubeObject): SyncPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  const types = new Set(hookTypes(obj));
  return SYNC_PHASES.filter((p) => types.has(p));
}

/** Argo CD and Helm delete policies together; BeforeHookCreation when none is named. */
export function hookDeletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const policies = new Set<HookDeletePolicy>();
  for (const p of annotationList(obj, ANNOTATION_HOOK_DELETE_POLICY))
    if (DELETE_POLICIES[p]) policies.add(DELETE_POLICIES[p]);
  for (const p of annotationList(obj, HELM_ANNOTATION_HOOK_DELETE_POLICY)) {
    if (HELM_DELETE_POLICIES[p]) policies.add(HELM_DELETE_POLICIES[p]);
  }
  return policies.size > 0 ? [...policies] : ['BeforeHookCreation'];
}
