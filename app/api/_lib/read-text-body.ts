import { AppError } from '@/lib/errors';

/** Reads a raw body (YAML or JSON) with a size cap; over the cap is a 413 and nothing else happens. */
export async function readTextBody(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, { hint: 'Split the file into smaller ones.' });
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge();
  const text = await req.text();
  if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
  return text;
}
