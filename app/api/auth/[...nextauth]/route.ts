import type { NextRequest } from 'next/server';
import { AppError } from '@/lib/errors';
import { assertSameOriginRequest } from '@/lib/server/auth/assert-same-origin-request';
import { handleNextAuthRequest } from '@/lib/server/auth/handle-next-auth-request';
import { errorResponse } from '../../_lib/error-response';
import { readTextBody } from '../../_lib/read-text-body';

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** Login forms are small; next-auth itself would read any size. */
const MAX_BODY_BYTES = 64 * 1024;

function parseBody(text: string, contentType: string): Record<string, string> | undefined {
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  if (!contentType.includes('application/json')) return undefined;
  try {
    const json: unknown = JSON.parse(text);
    return json && typeof json === 'object' && !Array.isArray(json)
      ? Object.fromEntries(Object.entries(json).map(([k, v]) => [k, String(v)]))
      : undefined;
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid JSON.', {
      hint: 'Send the login form as application/x-www-form-urlencoded.',
    });
  }
}

/**
 * next-auth's endpoints. Login attempts are counted inside the credentials provider's authorize(), so
 * every path spelling that reaches it (`credential%73`, `//`, …) counts; a refusal there is a real 429.
 */
async function handler(req: NextRequest, ctx: Ctx): Promise<Response> {
  try {
    let body: Record<string, string> | undefined;
    if (req.method === 'POST') {
      // next-auth's own double-submit token guards these forms; a cross-site post is refused before it.
      assertSameOriginRequest(req, { requireApiContentType: false });
      body = parseBody(await readTextBody(req, MAX_BODY_BYTES), req.headers.get('content-type') ?? '');
    }
    return await handleNextAuthRequest(req, (await ctx.params).nextauth, body);
  } catch (err) {
    return errorResponse(err);
  }
}

export { handler as GET, handler as POST };
