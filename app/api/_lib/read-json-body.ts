import { z } from 'zod';
import { AppError } from '@/lib/errors';

const DEFAULT_MAX_BYTES = 1024 * 1024;

function issuePath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)), '') || '(body)';
}

/** Reads a JSON body with a size cap and validates it; every failure is a 4xx naming the field. */
export async function readJsonBody<B>(req: Request, schema: z.ZodType<B>, maxBytes = DEFAULT_MAX_BYTES): Promise<B> {
  const tooLarge = () =>
    new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`, { hint: 'Send a smaller body.' });
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
  let json: unknown;
  try {
    json = JSON.parse(text === '' ? 'null' : text);
  } catch (err) {
    throw new AppError('BAD_REQUEST', `The request body is not valid JSON: ${(err as Error).message}.`, {
      hint: 'Send a JSON object with Content-Type: application/json.',
    });
  }
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
