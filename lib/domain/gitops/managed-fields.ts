import type { KubeObject } from './k8s-object';

/**
 * Argo CD's `ignoreDifferences[].managedFieldsManagers`: the fields that the named field managers
 * own in the live object (its `metadata.managedFields`, format FieldsV1) are left out of the diff,
 * on both sides.
 *
 * FieldsV1 is a trie: `f:name` is a field, `k:{"name":"web"}` a list element picked by its key
 * fields, `v:<json>` a set element by value, `i:3` a list element by index, and `.` says that the
 * node itself is owned. A leaf field goes; a list element the manager owns itself (`.`) goes whole;
 * a map is never removed whole for its `.`, as other managers may own some of its keys.
 */
type Trie = { [key: string]: Trie };

/** FieldsV1 comes from the API server: a trie only if every node is an object. */
function isTrie(value: unknown): value is Trie {
  return isRecord(value) && Object.values(value).every(isTrie);
}

/** The FieldsV1 tries of the live object's entries whose manager is one of `managers`. */
export function ownedFieldTries(live: KubeObject | undefined, managers: readonly string[]): Trie[] {
  if (!live || managers.length === 0) return [];
  const entries = live.metadata.managedFields ?? [];
  return entries.flatMap((e) =>
    e.manager !== undefined &&
    managers.includes(e.manager) &&
    e.fieldsV1 &&
    (e.fieldsType ?? 'FieldsV1') === 'FieldsV1' &&
    isTrie(e.fieldsV1)
      ? [e.fieldsV1]
      : [],
  );
}

/** Returns a copy of `obj` without the fields in the tries. */
export function withoutOwnedFields(obj: KubeObject, tries: readonly Trie[]): KubeObject {
  if (tries.length === 0) return obj;
  const copy = structuredClone(obj);
  for (const trie of tries) removeTrie(copy, trie);
  return copy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(trie: Trie): boolean {
  return Object.keys(trie).every((k) => k === '.');
}

function removeTrie(node: unknown, trie: Trie): void {
  const dropped = new Set<number>();
  for (const [key, child] of Object.entries(trie)) {
    if (key === '.') continue;
    const kind = key.slice(0, 2);
    const rest = key.slice(2);
    if (kind === 'f:' && isRecord(node)) {
      if (!(rest in node)) continue;
      if (isLeaf(child)) delete node[rest];
      else removeTrie(node[rest], child);
      continue;
    }
    if (!Array.isArray(node)) continue;
    const index = elementIndex(node, kind, rest);
    if (index < 0) continue;
    // A list element the manager added (it owns the element itself) goes whole.
    if (isLeaf(child) || '.' in child) dropped.add(index);
    else removeTrie(node[index], child);
  }
  if (Array.isArray(node)) for (const index of [...dropped].sort((a, b) => b - a)) node.splice(index, 1);
}

/** The list element a `k:`, `v:` or `i:` key picks, or -1. */
function elementIndex(list: unknown[], kind: string, rest: string): number {
  if (kind === 'i:') {
    const i = Number(rest);
    return Number.isInteger(i) && i >= 0 && i < list.length ? i : -1;
  }
  let wanted: unknown;
  try {
    wanted = JSON.parse(rest);
  } catch {
    return -1;
  }
  if (kind === 'v:') return list.findIndex((item) => JSON.stringify(item) === JSON.stringify(wanted));
  if (kind === 'k:' && isRecord(wanted)) {
    const keys = Object.entries(wanted);
    return list.findIndex(
      (item) => isRecord(item) && keys.every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v)),
    );
  }
  return -1;
}
