import { substitutedLength, type Scope } from './substitute';

/**
 * How long the strings of a Task spec, or of one StepAction a step inlines, may become once substituted, all
 * together (characters): text repeating a long param would otherwise be built in full, however often it repeats it.
 */
export const MAX_SUBSTITUTED_LENGTH = 8 * 1024 * 1024;

/** Thrown, before anything is built, by ensureSubstitutedSize. */
export class SubstitutionTooLong extends Error {
  constructor(
    readonly what: string,
    readonly length: number,
  ) {
    super(
      `${what} would be ${length} characters long once the params, results and context it uses are put in; at most ${MAX_SUBSTITUTED_LENGTH} are allowed`,
    );
    this.name = 'SubstitutionTooLong';
  }
}

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
