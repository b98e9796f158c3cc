import { groupOf, type KubeObject } from './k8s-object';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Fields the API server owns: they differ between any two reads and say nothing about drift. */
const SERVER_METADATA = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'selfLink'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Per-resource field exclusions, as Argo CD's `ignoreDifferences`: RFC 6901 JSON pointers, where a
 * `*` segment matches every array element or map key (e.g. `/spec/template/spec/containers/*\/image`).
 */
export interface IgnoreRule {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
  /** Applied by the controller before the diff (jq runs outside the domain): see compare-app-state. */
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

/** The rules that apply to this object (kind, and group, name and namespace when given). */
export function ignoreRulesFor<R extends Omit<IgnoreRule, 'jsonPointers'>>(rules: readonly R[], obj: KubeObject): R[] {
  return rules.filter(
    (r) =>
      r.kind === obj.kind &&
      (r.group === undefined || r.group === groupOf(obj.apiVersion)) &&
      (r.name === undefined || r.name === obj.metadata.name) &&
      (r.namespace === undefined || r.namespace === obj.metadata.namespace),
  );
}

export function ignorePointersFor(rules: readonly IgnoreRule[], obj: KubeObject): string[] {
  return ignoreRulesFor(rules, obj).flatMap((r) => r.jsonPointers);
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function isRecord(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function removeAt(node: Json | undefined, segments: readonly string[]): void {
  if (segments.length === 0) return;
  const [head, ...rest] = segments;
  const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : isRecord(node) ? Object.keys(node) : [];
  const targets = head === '*' ? keys : keys.includes(head) ? [head] : [];
  if (rest.length === 0) {
    if (Array.isArray(node)) {
      // Remove from the end so earlier indexes stay valid.
      for (const index of targets.map(Number).sort((a, b) => b - a)) node.splice(index, 1);
    } else if (isRecord(node)) {
      for (const key of targets) delete node[key];
    }
    return;
  }
  for (const key of targets) {
    const child = Array.isArray(node) ? node[Number(key)] : isRecord(node) ? node[key] : undefined;
    removeAt(child, rest);
  }
}

/** A deep copy through JSON: drops `undefined`, so absent and undefined fields compare equal. */
function clone(obj: KubeObject): { [key: string]: Json } {
  const copy: { [key: string]: Json } = JSON.parse(JSON.stringify(obj));
  return copy;
}

/**
 * The comparable form of an object: no status, no server-owned metadata, no kubectl last-applied
 * annotation, none of the ignored fields, and no metadata maps left empty by those removals.
 */
export function normalizeObject(obj: KubeObject, ignorePointers: readonly string[] = []): Record<string, Json> {
  const out = clone(obj);
  delete out.status;
  const metadata = out.metadata;
  if (isRecord(metadata)) {
    for (const field of SERVER_METADATA) delete metadata[field];
    const annotations = metadata.annotations;
    if (isRecord(annotations)) {
      delete annotations[LAST_APPLIED_ANNOTATION];
    }
  }
  for (const pointer of ignorePointers) removeAt(out, parsePointer(pointer));
  if (isRecord(metadata)) {
    for (const field of ['annotations', 'labels']) {
      const value = metadata[field];
      if (value === null || (isRecord(value) && Object.keys(value).length === 0)) delete metadata[field];
    }
  }
  return out;
}

/**
 * Live state seen through the desired object's shape: only the fields the desired object sets.
 * The fallback when no server-side dry-run result exists (e.g. the CRD is not installed yet):
 * server defaults and fields other actors own cannot show as drift. Extra list items do show.
 */
export function projectOnto(desired: Json, live: Json): Json {
  if (isRecord(desired) && isRecord(live)) {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(desired)) if (key in live) out[key] = projectOnto(desired[key], live[key]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live)) {
    return live.map((item, i) => (i < desired.length ? projectOnto(desired[i], item) : item));
  }
  return live;
}

export type { Json };
