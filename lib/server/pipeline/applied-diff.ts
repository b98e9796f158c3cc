/**
 * The JSON Patch an apply's audit row carries (details.diff): what each re-applied document changed, against
 * the previous version of a Task/Pipeline/StepAction or the stored ConfigMap/Secret/PVC/Trigger. One patch for
 * the whole file, over `{ "<kind>/<name>": document }`, so each path starts with the document it changed.
 */
import { specDiff, type JsonPatchOp } from '@/lib/domain/audit/spec-diff';
import { ZSealedSecretData } from '@/lib/domain/pipeline/stored-schemas';
import type { SecretBox } from '../security/secret-box';

/** RFC 6901 escaping of one reference token. */
const token = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** `ops` of one document, rooted at its `<kind>/<name>` key. */
export function documentPatch(kind: string, name: string, ops: readonly JsonPatchOp[]): JsonPatchOp[] {
  const root = `/${token(`${kind.toLowerCase()}/${name}`)}`;
  return ops.map((op) => ({ ...op, path: `${root}${op.path}` }));
}

/**
 * A stored Secret companion as a `kind: Secret` document with its values opened, so specDiff can tell which
 * keys changed and masks every value (the opened values go no further than that comparison). A value no
 * configured key opens reads as changed.
 */
export function storedSecretDocument(
  stored: unknown,
  box: SecretBox,
): { kind: 'Secret'; data: Record<string, unknown> } {
  const parsed = ZSealedSecretData.safeParse(stored);
  const sealed = parsed.success ? parsed.data.sealed : {};
  const open = (value: string) => {
    try {
      return box.open(value);
    } catch {
      return { unreadable: value };
    }
  };
  return { kind: 'Secret', data: Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, open(v)])) };
}

/** What a re-applied companion changed: a Secret compared by its values (masked), the others as stored. */
export function companionPatch(
  kind: string,
  name: string,
  stored: unknown,
  next: { secretValues?: Record<string, string>; data: unknown },
  box: SecretBox,
): JsonPatchOp[] {
  const ops = next.secretValues
    ? specDiff(storedSecretDocument(stored, box), { kind: 'Secret', data: next.secretValues })
    : specDiff(stored, next.data);
  return documentPatch(kind, name, ops);
}
