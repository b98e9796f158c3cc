import { MAX_SUBSTITUTED_LENGTH, SubstitutionTooLong, substitutedLength, type Scope } from './substitute';

export { MAX_SUBSTITUTED_LENGTH, SubstitutionTooLong };

/** The length of all strings in a JSON-like value once substituted. */
export function substitutedSize(value: unknown, scope: Scope): number {
  if (typeof value === 'string') return substitutedLength(value, scope);
  if (value === null || typeof value !== 'object') return 0;
  let size = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) size += substitutedSize(v, scope);
  return size;
}

/**
 * Throws SubstitutionTooLong when the strings of `value`, with `before` characters counted already, would outgrow
 * MAX_SUBSTITUTED_LENGTH once substituted; returns the count with them.
 */
export function ensureSubstitutedSize(value: unknown, scope: Scope, what: string, before = 0): number {
  const size = before + substitutedSize(value, scope);
  if (size > MAX_SUBSTITUTED_LENGTH) throw new SubstitutionTooLong(what, size);
  return size;
}
