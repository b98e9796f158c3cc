import { hookDeletePolicies, isHook, syncPhases, type HookDeletePolicy, type SyncPhase } from './hooks';
import { groupOf, resourceKey, type KubeObject } from './k8s-object';
import { hasSyncOption } from './sync-options';
import { kindRank, syncWave } from './waves';

export interface SyncTask {
  /** Unique within a plan: a hook in two phases gives two tasks. */
  id: string;
  key: string;
  action: 'apply' | 'prune' | 'hook';
  phase: SyncPhase;
  wave: number;
  obj: KubeObject;
  hookDeletePolicies?: HookDeletePolicy[];
  /** Prune tasks that must not delete: record PruneSkipped with this message (Argo CD's wording). */
  pruneSkipped?: string;
}

export interface SyncStep {
  phase: SyncPhase;
  wave: number;
  tasks: SyncTask[];
}

export interface SyncPlan {
  /** PreSync → Sync → PostSync, each by wave. Within a step, prune tasks come first. */
  steps: SyncStep[];
  /** SyncFail hooks, run together only if the operation fails. */
  syncFail: SyncTask[];
}

export interface SyncPlanInput {
  /** Rendered manifests: namespaces defaulted, tracking set, hooks included. */
  desired: readonly KubeObject[];
  /** Live objects tracked by the app; those no longer in Git become prune tasks. */
  tracked?: readonly KubeObject[];
  /** Per-resource sync status from `compareApp`, by key; needed for `applyOutOfSyncOnly`. */
  syncStatus?: ReadonlyMap<string, 'Synced' | 'OutOfSync'>;
  /** Fresh suffix for a hook that has only `generateName`; called once per hook and phase. */
  nameSuffix: (hook: KubeObject, phase: SyncPhase) => string;
  options?: {
    prune?: boolean;
    pruneLast?: boolean;
    applyOutOfSyncOnly?: boolean;
    /** Selective sync: only these resource keys, and no hooks. */
    resources?: ReadonlySet<string>;
    /** CreateNamespace: the destination namespace, created in PreSync unless Git defines it. */
    createNamespace?: string;
    /** Argo CD's managedNamespaceMetadata: labels and annotations of that namespace. */
    namespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  };
}

export const PRUNE_DISABLED_MESSAGE = 'ignored (requires pruning)';
export const PRUNE_FALSE_MESSAGE = 'ignored (no prune)';

const PHASE_ORDER: Record<SyncPhase, number> = { PreSync: -1, Sync: 0, PostSync: 1, SyncFail: 2 };

function task(action: SyncTask['action'], phase: SyncPhase, wave: number, obj: KubeObject): SyncTask {
  const key = resourceKey(obj);
  return { id: `${phase}:${key}`, key, action, phase, wave, obj };
}

/** gitops-engine order: phase, wave, kind (Namespaces and CRDs early, custom resources last), name. */
function compareTasks(a: SyncTask, b: SyncTask): number {
  return (
    PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
    a.wave - b.wave ||
    kindRank(a.obj.kind) - kindRank(b.obj.kind) ||
    (a.obj.metadata.name ?? '').localeCompare(b.obj.metadata.name ?? '')
  );
}

/**
 * gitops-engine `adjustDeps`: a dependency (a Namespace, a CRD) sorted after the first task that needs
 * it moves just before that task and takes its phase and wave.
 */
function hoistDependencies(
  tasks: SyncTask[],
  provides: (t: SyncTask) => string | undefined,
  needs: (t: SyncTask) => string | undefined,
): void {
  const firstUser = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (t.action === 'prune') continue;
    const dep = provides(t);
    if (dep !== undefined) {
      const at = firstUser.get(dep);
      if (at === undefined) continue;
      tasks.splice(i, 1);
      tasks.splice(at, 0, { ...t, phase: tasks[at].phase, wave: tasks[at].wave, id: `${tasks[at].phase}:${t.key}` });
      for (const [k, v] of firstUser) if (v >= at) firstUser.set(k, v + 1);
    } else {
      const ref = needs(t);
      if (ref !== undefined && !firstUser.has(ref)) firstUser.set(ref, i);
    }
  }
}

function crdProvides(t: SyncTask): string | undefined {
  if (t.obj.kind !== 'CustomResourceDefinition' || groupOf(t.obj.apiVersion) !== 'apiextensions.k8s.io')
    return undefined;
  const spec = t.obj.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
  return typeof spec?.group === 'string' && typeof spec.names?.kind === 'string'
    ? `${spec.group}/${spec.names.kind}`
    : undefined;
}

function pruneTasks(input: SyncPlanInput, desiredKeys: ReadonlySet<string>): SyncTask[] {
  const options = input.options ?? {};
  const tasks: SyncTask[] = [];
  for (const live of input.tracked ?? []) {
    const key = resourceKey(live);
    if (desiredKeys.has(key) || isHook(live)) continue;
    if (options.resources && !options.resources.has(key)) continue;
    const t = task('prune', 'Sync', syncWave(live), live);
    if (!options.prune) t.pruneSkipped = PRUNE_DISABLED_MESSAGE;
    else if (hasSyncOption(live, 'Prune=false')) t.pruneSkipped = PRUNE_FALSE_MESSAGE;
    tasks.push(t);
  }
  // Delete in reverse creation order: swap the prune waves symmetrically (gitops-engine getSyncTasks).
  const waves = [...new Set(tasks.map((t) => t.wave))].sort((a, b) => a - b);
  const mirrored = new Map(waves.map((w, i) => [w, waves[waves.length - 1 - i]]));
  return tasks.map((t) => ({ ...t, wave: mirrored.get(t.wave) ?? t.wave }));
}

function namedHook(obj: KubeObject, phase: SyncPhase, suffix: SyncPlanInput['nameSuffix']): KubeObject {
  if (obj.metadata.name || !obj.metadata.generateName) return obj;
  return { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.generateName}${suffix(obj, phase)}` } };
}

/** The ordered tasks of one sync operation. Pure: the same input always gives the same plan. */
export function planSync(input: SyncPlanInput): SyncPlan {
  const options = input.options ?? {};
  const selective = options.resources !== undefined;
  const tasks: SyncTask[] = [];
  const desiredKeys = new Set<string>();

  for (const obj of input.desired) {
    const key = resourceKey(obj);
    if (!isHook(obj)) desiredKeys.add(key);
    for (const phase of syncPhases(obj)) {
      if (isHook(obj)) {
        if (selective) continue;
        const named = namedHook(obj, phase, input.nameSuffix);
        tasks.push({ ...task('hook', phase, syncWave(obj), named), hookDeletePolicies: hookDeletePolicies(obj) });
        continue;
      }
      if (selective && !options.resources?.has(key)) continue;
      if (options.applyOutOfSyncOnly && input.syncStatus?.get(key) === 'Synced') continue;
      tasks.push(task('apply', phase, syncWave(obj), obj));
    }
  }

  const ns = options.createNamespace;
  if (
    ns &&
    !selective &&
    !input.desired.some((o) => o.kind === 'Namespace' && groupOf(o.apiVersion) === '' && o.metadata.name === ns)
  ) {
    const { labels, annotations } = options.namespaceMetadata ?? {};
    const metadata = {
      name: ns,
      ...(labels && Object.keys(labels).length ? { labels } : {}),
      ...(annotations && Object.keys(annotations).length ? { annotations } : {}),
    };
    tasks.push(task('apply', 'PreSync', 0, { apiVersion: 'v1', kind: 'Namespace', metadata }));
  }

  const prunes = pruneTasks(input, desiredKeys);
  const pruneLast = (t: SyncTask) => options.pruneLast === true || hasSyncOption(t.obj, 'PruneLast=true');
  // PruneLast goes after the last Sync wave, prune waves included.
  const lastSyncWave = Math.max(0, ...[...tasks, ...prunes].filter((t) => t.phase === 'Sync').map((t) => t.wave)) + 1;
  tasks.push(...prunes.map((t) => (pruneLast(t) ? { ...t, wave: lastSyncWave } : t)));

  tasks.sort(compareTasks);
  hoistDependencies(
    tasks,
    (t) => (t.obj.kind === 'Namespace' && groupOf(t.obj.apiVersion) === '' ? t.obj.metadata.name : undefined),
    (t) => t.obj.metadata.namespace || undefined,
  );
  hoistDependencies(tasks, crdProvides, (t) => `${groupOf(t.obj.apiVersion)}/${t.obj.kind}`);

  const steps: SyncStep[] = [];
  for (const t of tasks.filter((t) => t.phase !== 'SyncFail')) {
    const last = steps[steps.length - 1];
    if (last && last.phase === t.phase && last.wave === t.wave) last.tasks.push(t);
    else steps.push({ phase: t.phase, wave: t.wave, tasks: [t] });
  }
  for (const step of steps) {
    step.tasks = [...step.tasks.filter((t) => t.action === 'prune'), ...step.tasks.filter((t) => t.action !== 'prune')];
  }
  return { steps, syncFail: tasks.filter((t) => t.phase === 'SyncFail') };
}
