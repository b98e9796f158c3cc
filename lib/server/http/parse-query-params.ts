import type { z } from 'zod';
import { AppError, type FieldIssue } from '@/lib/errors';
import { issuePath } from '../gitops/applications/parse-input';

const DEFAULT_HINT = 'Fix the parameters listed in issues (see GET /api/v1/openapi.json) and send the request again.';

/**
 * A query string checked against an operation's query schema (strict ones refuse unknown parameters): a
 * parameter given twice, an unknown one or a bad value is a 400 listing every bad parameter by name with how to fix it.
 */
export function parseQueryParams<S extends z.ZodObject>(
  schema: S,
  params: URLSearchParams,
  hint = DEFAULT_HINT,
): z.infer<S> {
  const known = Object.keys(schema.shape);
  const issues: FieldIssue[] = [];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) issues.push({ path: key, message: `give ${key} once` });
    seen.add(key);
  }
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      if (i.code === 'unrecognized_keys')
        for (const key of i.keys)
          issues.push({ path: key, message: `unknown parameter: use only ${known.join(', ')}` });
      else issues.push({ path: issuePath(i.path), message: i.message });
    }
  }
  if (issues.length === 0 && parsed.success) return parsed.data;
  throw new AppError('BAD_REQUEST', `Invalid query: ${issues[0].path}: ${issues[0].message}.`, {
    issues,
    hint,
  });
}
