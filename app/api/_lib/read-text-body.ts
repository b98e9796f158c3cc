import { formatBytes } from '@/lib/domain/http/body-limits';
import { AppError } from '@/lib/errors';

function tooLarge(maxBytes: number): AppError {
  return new AppError(
    'PAYLOAD_TOO_LARGE',
    `The request body is larger than ${formatBytes(maxBytes)}; nothing was processed.`,
    { hint: 'Send a smaller body (split the file into smaller ones).' },
  );
}

/**
 * Reads a raw body (YAML or JSON) while counting bytes: the read stops as soon as the cap is crossed,
 * whether or not a Content-Length was sent (chunked bodies included), and the caller gets a 413.
 */
export async function readTextBody(req: Request, maxBytes: number): Promise<string> {
  if (Number(req.headers.get('content-length') ?? 0) > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
