import { AppError } from '@/lib/errors';
import { errorResponse } from '../_lib/error-response';

/** Anything under /api that no route claims is a JSON 404, not an HTML page. */
function notFound(req: Request): Response {
  const { pathname } = new URL(req.url);
  return errorResponse(
    new AppError('NOT_FOUND', `No API route ${req.method} ${pathname}.`, {
      hint: 'See /api/v1/openapi.json for the routes.',
    }),
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
