/**
 * Compares an app's desired objects with the live ones: server-side dry-run applies predict the
 * live object after a sync (server defaults included), the pure domain diff decides sync status,
 * and the health rules grade each live object. Secrets are masked before anything is diffed.
 */
import { createHash } from 'node:crypto';
import type { JqRunner } from '@/lib/adapters/jq';
import {
  aggregateHealth,
  assessHealth,
  compareApp,
  isHook,
  maskSecretPair,
  resourceKey,
  syncWave,
  type DesiredResource,
  type HealthStatus,
  type KubeObject,
} from '@/lib/domain/gitops';
import type { TApplicationSpec, TResourceStatus } from '@/lib/schemas/applications';
import { mapLimit } from '../map-limit';
import type { ClusterClient } from '../ports';
import { applyIgnoreRules, type IgnoreTools } from './ignore-fields';
import { objectKey } from './object-key';

export interface DryRunCache {
  get(key: string): KubeObject | undefined;
  set(key: string, obj: KubeObject): void;
}

/** A small LRU of dry-run results: a desired object over an unchanged live object predicts the same. */
export function createDryRunCache(max = 20_000): DryRunCache {
  const map = new Map<string, KubeObject>();
  return {
    get(key) {
      const hit = map.get(key);
      if (hit) {
        map.delete(key);
        map.set(key, hit);
      }
      return hit;
    },
    set(key, obj) {
      map.set(key, obj);
      if (map.size > max) map.delete(map.keys().next().value as string);
    },
  };
}

export interface CompareInput {
  cluster: ClusterClient;
  desired: KubeObject[];
  /** Live objects by resource key (absent = not in the cluster). */
  live: ReadonlyMap<string, KubeObject>;
  /** Live objects tracked by this app. */
  tracked: KubeObject[];
  spec: TApplicationSpec;
  dryRuns: DryRunCache;
  validate: boolean;
  /** Applies ignoreDifferences' jq expressions (the process's jq thread). */
  jq: JqRunner;
}

export interface CompareOutput {
  sync: 'Synced' | 'OutOfSync';
  health: HealthStatus;
  resources: TResourceStatus[];
  diffs: Record<string, { diff: string; live?: string; desired?: string }>;
  /** Per-resource problems (a dry run the server refused), shown as ComparisonError conditions. */
  errors: string[];
}

const hash = (obj: unknown) => createHash('sha256').update(JSON.stringify(obj)).digest('hex').slice(0, 24);

/**
 * What a dry run's comparable outcome depends on in the live object: everything but its status and resourceVersion
 * (both dropped by normalizeObject). A Deployment whose status moves (replicas becoming ready after a sync) keeps its
 * prediction, so a thousand freshly synced apps don't each dry-run again on every status update.
 */
function liveKey(live: KubeObject): string {
  const { status: _status, metadata, ...rest } = live;
  const { resourceVersion: _rv, managedFields: _managed, ...meta } = metadata;
  return hash({ ...rest, metadata: meta });
}

/** A prediction depends on the desired object, the live one and the validation mode (Strict refuses, Ignore drops). */
const predictionKey = (desired: KubeObject, live: KubeObject, validate: boolean) =>
  `${resourceKey(desired)}|${hash(desired)}|${liveKey(live)}|${validate ? 'strict' : 'ignore'}`;

/**
 * A sync's own apply already answers the dry run the next compare would make: applying the same object again over
 * what the apply left changes nothing (server-side apply is idempotent). Remembered as that prediction, a freshly
 * synced app's refresh reads the cache instead of dry-running each of its resources once more.
 */
export function rememberApplied(cache: DryRunCache, desired: KubeObject, applied: KubeObject, validate: boolean): void {
  const { managedFields: _managed, ...metadata } = applied.metadata;
  cache.set(predictionKey(desired, applied, validate), { ...applied, metadata });
}

async function predict(input: CompareInput, obj: KubeObject, live: KubeObject): Promise<KubeObject> {
  const cacheKey = predictionKey(obj, live, input.validate);
  const hit = input.dryRuns.get(cacheKey);
  if (hit) return hit;
  const predicted = await input.cluster.dryRun(obj, {
    fieldValidation: input.validate ? 'Strict' : 'Ignore',
  });
  // managedFields are the bulk of an answer and no part of the comparison (normalizeObject drops them).
  const { managedFields: _managed, ...metadata } = predicted.metadata;
  const object = { ...predicted, metadata };
  input.dryRuns.set(cacheKey, object);
  return object;
}

export async function compareAppState(input: CompareInput): Promise<CompareOutput> {
  const errors: string[] = [];
  const resources = input.desired.filter((o) => !isHook(o));
  const rules = input.spec.ignoreDifferences;
  const tools: IgnoreTools = {
    jq: input.jq,
    withManagedFields: (live) => input.cluster.get(objectKey(live)),
  };
  const pairs = await mapLimit(resources, 8, async (obj): Promise<{ desired: DesiredResource; live?: KubeObject }> => {
    const live = input.live.get(resourceKey(obj));
    if (!live) {
      const sides = await applyIgnoreRules(rules, { desired: maskSecretPair(undefined, obj).desired }, tools, errors);
      return { desired: { obj: sides.desired } };
    }
    let predicted: KubeObject | undefined;
    try {
      predicted = await predict(input, obj, live);
    } catch (err) {
      errors.push(`${obj.kind}/${obj.metadata.name}: ${(err as Error).message}`);
    }
    const masked = maskSecretPair(live, predicted ?? obj);
    const sides = await applyIgnoreRules(
      rules,
      {
        desired: predicted ? obj : masked.desired,
        predicted: predicted && masked.desired,
        live: masked.live,
      },
      tools,
      errors,
    );
    return { desired: { obj: sides.desired, predictedLive: sides.predicted }, live: sides.live };
  });
  const liveMasked = pairs.flatMap((p) => (p.live ? [p.live] : []));
  const tracked = input.tracked
    .filter((o) => !isHook(o))
    .map((o) => (input.live.has(resourceKey(o)) ? o : maskSecretPair(o, undefined).live));
  const comparison = compareApp(
    pairs.map((p) => p.desired),
    liveMasked,
    tracked,
    { ignoreDifferences: input.spec.ignoreDifferences.map((r) => ({ ...r, jsonPointers: r.jsonPointers ?? [] })) },
  );

  const byKey = new Map<string, KubeObject>();
  for (const o of resources) byKey.set(resourceKey(o), o);
  for (const o of input.tracked) if (!byKey.has(resourceKey(o))) byKey.set(resourceKey(o), o);
  const out: TResourceStatus[] = [];
  const diffs: CompareOutput['diffs'] = {};
  const healthEntries: { status: HealthStatus['status'] }[] = [];
  for (const r of comparison.resources) {
    const obj = byKey.get(r.key);
    if (!obj) continue; // never: every compared key is a desired or tracked object
    const live = input.live.get(r.key) ?? input.tracked.find((t) => resourceKey(t) === r.key);
    const health = assessHealth(live);
    healthEntries.push({ status: health.status });
    const [, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    out.push({
      group: obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '',
      version,
      kind: obj.kind,
      namespace: obj.metadata.namespace ?? '',
      name: obj.metadata.name ?? '',
      status: r.status,
      health: { status: health.status, ...(health.message ? { message: health.message } : {}) },
      ...(r.requiresPrune ? { requiresPrune: true } : {}),
      syncWave: syncWave(obj),
    });
    diffs[r.key] = { diff: r.diff, live: r.normalizedLive, desired: r.normalizedDesired };
  }
  const status = aggregateHealth(healthEntries);
  const message = out.find((r) => r.health?.status === status && r.health.message)?.health?.message;
  return {
    sync: comparison.status,
    health: { status, ...(message ? { message } : {}) },
    resources: out,
    diffs,
    errors,
  };
}
