/**
 * What a spec change changed, as an RFC 6902 JSON Patch (before → after), for the audit log. Objects are
 * compared key by key, arrays index by index (extra elements added or removed at the end), anything else
 * replaced whole. Secret `data`/`stringData` values never appear: see maskSecretValues.
 */
export type JsonPatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

/** What a masked Secret value reads as; a changed one says so, without the value. */
export const MASKED = '***';
export const MASKED_CHANGED = '*** (changed)';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
const pointer = (path: string, key: string | number) =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

function isEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => isEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => isEqual(a[k], b[k]));
  }
  return false;
}

function diffInto(ops: JsonPatchOp[], path: string, a: unknown, b: unknown): void {
  if (isEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of Object.keys(a)) {
      if (a[k] === undefined) continue;
      if (b[k] === undefined) ops.push({ op: 'remove', path: pointer(path, k) });
      else diffInto(ops, pointer(path, k), a[k], b[k]);
    }
    for (const k of Object.keys(b)) {
      if (b[k] !== undefined && a[k] === undefined) ops.push({ op: 'add', path: pointer(path, k), value: b[k] });
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) diffInto(ops, pointer(path, i), a[i], b[i]);
    for (let i = common; i < b.length; i++) ops.push({ op: 'add', path: pointer(path, '-'), value: b[i] });
    // Removed from the end backwards, so each index is still valid when its op applies.
    for (let i = a.length - 1; i >= common; i--) ops.push({ op: 'remove', path: pointer(path, i) });
    return;
  }
  ops.push({ op: 'replace', path, value: b });
}

const SECRET_FIELDS = ['data', 'stringData'] as const;

/**
 * Both sides with every Secret value (kind Secret: `data` and `stringData`) replaced: `***`, or on the after
 * side `*** (changed)` when the value differs, so the diff shows which keys changed and never a value.
 */
export function maskSecretValues(before: unknown, after: unknown): [unknown, unknown] {
  const secret = (v: unknown): v is Json => isObject(v) && v.kind === 'Secret';
  if (!secret(before) && !secret(after)) return [before, after];
  const mask = (doc: unknown, other: unknown, isAfter: boolean): unknown => {
    if (!isObject(doc)) return doc;
    const out: Json = { ...doc };
    for (const field of SECRET_FIELDS) {
      const values = doc[field];
      if (!isObject(values)) continue;
      const others = isObject(other) && isObject(other[field]) ? other[field] : {};
      out[field] = Object.fromEntries(
        Object.keys(values).map((k) => [k, isAfter && values[k] !== others[k] ? MASKED_CHANGED : MASKED]),
      );
    }
    return out;
  };
  return [mask(before, after, false), mask(after, before, true)];
}

/** The JSON Patch that turns `before` into `after` (Secret values masked); empty when nothing changed. */
export function specDiff(before: unknown, after: unknown): JsonPatchOp[] {
  const [a, b] = maskSecretValues(before, after);
  const ops: JsonPatchOp[] = [];
  if (a === undefined) return b === undefined ? ops : [{ op: 'add', path: '', value: b }];
  if (b === undefined) return [{ op: 'remove', path: '' }];
  diffInto(ops, '', a, b);
  return ops;
}
