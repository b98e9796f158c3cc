import { ZodError } from 'zod';
import { SubstitutionTooLong } from '@/lib/domain/pipeline/substitute';
import { AppError } from '@/lib/errors';
import { issuePath } from '@/lib/server/gitops/applications/parse-input';

/** A parse failure that escaped a route's own validation is still the caller's input: 400 with the path. */
function badInput(err: unknown): AppError | undefined {
  if (err instanceof ZodError) {
    const issues = err.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
    return new AppError('BAD_REQUEST', `Invalid request: ${issues[0]?.path}: ${issues[0]?.message}.`, {
      issues,
      hint: 'Fix the fields listed in issues and send the request again.',
    });
  }
  if (err instanceof SyntaxError) {
    return new AppError('BAD_REQUEST', `The request could not be parsed: ${err.message.slice(0, 200)}`, {
      issues: [{ path: '(body)', message: 'not parseable' }],
      hint: 'Send valid JSON (or YAML where the route takes it).',
    });
  }
  // Text of the request that repeats a long value, stopped before it was built.
  if (err instanceof SubstitutionTooLong) {
    return new AppError('BAD_REQUEST', `${err.message}.`, {
      issues: [{ path: '(documents)', message: err.message }],
      hint: 'Repeat long params fewer times in the fields that use them.',
    });
  }
  // Postgres class 22 (data exception): a value from the request the column cannot take (bad UUID, NUL byte, out of range).
  const code = pgErrorCode(err);
  if (code?.startsWith('22')) {
    return new AppError('BAD_REQUEST', 'A value in the request is not valid here (wrong format or out of range).', {
      issues: [{ path: '(request)', message: `database error class ${code}` }],
      hint: 'Check the names, ids and numbers in the URL and body.',
    });
  }
  return undefined;
}

/** drizzle wraps the driver's error: look through `cause` for Postgres's SQLSTATE. */
function pgErrorCode(err: unknown): string | undefined {
  let e = err;
  for (let depth = 0; typeof e === 'object' && e !== null && depth < 4; depth++) {
    const code = 'code' in e ? e.code : undefined;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = 'cause' in e ? e.cause : undefined;
  }
  return undefined;
}

export function errorResponse(err: unknown): Response {
  const known = err instanceof AppError ? err : badInput(err);
  if (known) {
    const headers: Record<string, string> = {};
    if (known.details.retryAfterSeconds) headers['retry-after'] = String(known.details.retryAfterSeconds);
    return Response.json(known.toJSON(), { status: known.status, headers });
  }
  console.error('[api] unexpected error', err);
  return Response.json(
    { error: { code: 'INTERNAL', message: 'Internal error; the server log has the details.' } },
    { status: 500 },
  );
}
