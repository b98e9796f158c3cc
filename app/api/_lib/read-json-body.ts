import { z } from 'zod';
import { parseJsonText } from '@/lib/domain/http/bounded-parse';
import { AppError } from '@/lib/errors';
import { readTextBody } from './read-text-body';

export const DEFAULT_MAX_BYTES = 1024 * 1024;

function issuePath(path: PropertyKey[]): string {
  return (
    path.reduce<string>(
      (acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
      '',
    ) || '(body)'
  );
}

/** JSON text as a value, or a 400 saying where it is wrong (syntax, or nesting deeper than 64 levels). */
export function jsonOrBadRequest(text: string, hint: string): unknown {
  const json = parseJsonText(text);
  if (json.ok) return json.value;
  throw new AppError('BAD_REQUEST', `The request body is not acceptable JSON: ${json.path}: ${json.message}.`, {
    issues: [{ path: json.path, message: json.message }],
    hint,
  });
}

/** Reads a JSON body with a size cap and validates it; every failure is a 4xx naming the field. */
export async function readJsonBody<B>(req: Request, schema: z.ZodType<B>, maxBytes = DEFAULT_MAX_BYTES): Promise<B> {
  return parseJsonBody(await readTextBody(req, maxBytes), schema);
}

/** A body's text as JSON validated by the schema (an empty body is null); a failure is a 400 naming the field. */
export function parseJsonBody<B>(text: string, schema: z.ZodType<B>): B {
  const json = jsonOrBadRequest(
    text === '' ? 'null' : text,
    'Send a JSON object (nested at most 64 levels) with Content-Type: application/json.',
  );
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: i.message }));
    const first = issues[0];
    throw new AppError('BAD_REQUEST', `Invalid request body: ${first.path}: ${first.message}.`, {
      issues,
      hint: 'Fix the fields listed in issues and send the request again.',
    });
  }
  return parsed.data;
}
