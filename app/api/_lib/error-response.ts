import { AppError } from '@/lib/errors';

export function errorResponse(err: unknown): Response {
  if (err instanceof AppError) {
    const headers: Record<string, string> = {};
    if (err.details.retryAfterSeconds) headers['retry-after'] = String(err.details.retryAfterSeconds);
    return Response.json(err.toJSON(), { status: err.status, headers });
  }
  console.error('[api] unexpected error', err);
  return Response.json({ error: { code: 'INTERNAL', message: 'Internal error; the server log has the details.' } }, { status: 500 });
}
