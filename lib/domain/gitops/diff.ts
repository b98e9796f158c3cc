import { stringify } from 'yaml';
import { isHook } from './hooks';
import { resourceKey, type KubeObject } from './k8s-object';
import { ignorePointersFor, normalizeObject, projectOnto, type IgnoreRule, type Json } from './normalize';
import { unifiedDiff } from './unified-diff';

export type { SyncStatusCode } from './sync-statuses';

export interface ResourceDiff {
  key: string;
  status: 'Synced' | 'OutOfSync';
  /** Live and tracked by the app but no longer in Git: a prune would delete it. */
  requiresPrune?: boolean;
  /** In Git but not in the cluster. */
  missing?: boolean;
  /** Unified diff from live to desired, both normalized YAML with sorted keys; '' when Synced. */
  diff: string;
  /** Normalized YAML of each side, for a side-by-side view. */
  normalizedLive?: string;
  normalizedDesired?: string;
}

export interface DesiredResource {
  /** The manifest rendered from Git (defaulted namespace, tracking set). */
  obj: KubeObject;
  /**
   * The server-side dry-run apply of `obj` over the live object: what the live object would be after
   * a sync, server defaults included. Without it, live is compared only on the fields `obj` sets.
   */
  predictedLive?: KubeObject;
}

export interface CompareOptions {
  ignoreDifferences?: readonly IgnoreRule[];
}

export interface AppComparison {
  status: 'Synced' | 'OutOfSync';
  resources: ResourceDiff[];
}

/** YAML with map keys sorted, so two objects with the same content print the same text. */
export function toSortedYaml(value: Json | Record<string, Json>): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

/**
 * The sorted YAML of an object normalized with these ignore pointers, remembered per object: a refresh compares the
 * same watch-cache objects and the same cached dry-run predictions again and again, and printing YAML was the largest
 * cost of a compare. Objects are never changed once compared (the cache and the dry runs hand out new objects).
 */
const normalizedTexts = new WeakMap<KubeObject, Map<string, string>>();
function normalizedText(obj: KubeObject, pointers: readonly string[]): string {
  const key = pointers.join('\n');
  let byPointers = normalizedTexts.get(obj);
  const hit = byPointers?.get(key);
  if (hit !== undefined) return hit;
  const text = toSortedYaml(normalizeObject(obj, pointers));
  if (!byPointers) normalizedTexts.set(obj, (byPointers = new Map()));
  byPointers.set(key, text);
  return text;
}

function headers(key: string) {
  return { fromFile: `live/${key}`, toFile: `desired/${key}` };
}

/** Compares one desired resource (if any) with its live object (if any). */
export function diffResource(
  key: string,
  desired: DesiredResource | undefined,
  live: KubeObject | undefined,
  options: CompareOptions = {},
): ResourceDiff {
  const rules = options.ignoreDifferences ?? [];
  if (!desired) {
    if (!live) return { key, status: 'Synced', diff: '' };
    const liveText = toSortedYaml(normalizeObject(live, ignorePointersFor(rules, live)));
    return {
      key,
      status: 'OutOfSync',
      requiresPrune: true,
      diff: unifiedDiff(liveText, '', headers(key)),
      normalizedLive: liveText,
    };
  }
  const target = desired.predictedLive ?? desired.obj;
  const pointers = ignorePointersFor(rules, desired.obj);
  if (live && desired.predictedLive) {
    // A prediction and the live object are compared as they are (no projection): both texts can be remembered.
    return bothSides(key, normalizedText(live, pointers), normalizedText(desired.predictedLive, pointers));
  }
  const desiredNorm = normalizeObject(target, pointers);
  const desiredText = toSortedYaml(desiredNorm);
  if (!live) {
    return {
      key,
      status: 'OutOfSync',
      missing: true,
      diff: unifiedDiff('', desiredText, headers(key)),
      normalizedDesired: desiredText,
    };
  }
  let liveNorm: Json = normalizeObject(live, pointers);
  if (!desired.predictedLive) liveNorm = projectOnto(desiredNorm, liveNorm);
  return bothSides(key, toSortedYaml(liveNorm), desiredText);
}

function bothSides(key: string, liveText: string, desiredText: string): ResourceDiff {
  const diff = unifiedDiff(liveText, desiredText, headers(key));
  return {
    key,
    status: diff === '' ? 'Synced' : 'OutOfSync',
    diff,
    normalizedLive: liveText,
    normalizedDesired: desiredText,
  };
}

/**
 * Per-resource and app sync status. `desired` are the app's rendered manifests (hooks are skipped:
 * they are created per sync, not kept in sync); `live` are the cluster's objects for those keys;
 * `tracked` are the live objects that carry this app's tracking id. A tracked object absent from Git
 * is OutOfSync and requires a prune. Resources come back sorted by key.
 */
export function compareApp(
  desired: readonly DesiredResource[],
  live: readonly KubeObject[],
  tracked: readonly KubeObject[],
  options: CompareOptions = {},
): AppComparison {
  const liveByKey = new Map(live.map((o) => [resourceKey(o), o]));
  const desiredByKey = new Map<string, DesiredResource>();
  for (const d of desired) if (!isHook(d.obj)) desiredByKey.set(resourceKey(d.obj), d);
  const resources: ResourceDiff[] = [];
  for (const [key, d] of desiredByKey) resources.push(diffResource(key, d, liveByKey.get(key), options));
  for (const obj of tracked) {
    const key = resourceKey(obj);
    if (desiredByKey.has(key) || isHook(obj)) continue;
    resources.push(diffResource(key, undefined, obj, options));
  }
  resources.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { status: resources.some((r) => r.status === 'OutOfSync') ? 'OutOfSync' : 'Synced', resources };
}
