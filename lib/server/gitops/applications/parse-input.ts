import type { z } from 'zod';
import { AppError, type FieldIssue } from '@/lib/errors';

/** `spec.source.repoURL`, `spec.syncPolicy.syncOptions[0]`: the path users see in their YAML. */
export function issuePath(path: readonly PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    ) || '(body)'
  );
}

/** Parses with zod; a failure is a 400 listing every bad field with its path and one hint. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  hint: string,
  subject = 'Application',
): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
  throw new AppError('BAD_REQUEST', `Invalid ${subject}: ${issues[0].path}: ${issues[0].message}.`, { issues, hint });
}

/** A 400 about one field. */
export function fieldError(path: string, message: string, hint: string): AppError {
  return new AppError('BAD_REQUEST', `${path}: ${message}`, { issues: [{ path, message }], hint });
}
