import { AppError } from '@/lib/errors';
import { deps, secrets } from '@/lib/server/context';
import { applyDocuments } from '@/lib/server/pipeline/apply-documents';
import { route } from '../../_lib/handler';
import { readTextBody } from '../../_lib/read-text-body';

const MAX_BYTES = 5 * 1024 * 1024;

/** Tekton YAML (multi-document) or the same shapes as JSON; answers one line per document. */
export const POST = route({ status: 201 }, async ({ req, principal }) => {
  const text = await readTextBody(req, MAX_BYTES);
  let input: unknown = text;
  if ((req.headers.get('content-type') ?? '').includes('json')) {
    try {
      input = JSON.parse(text);
    } catch (err) {
      throw new AppError('BAD_REQUEST', `The request body is not valid JSON: ${(err as Error).message}.`, { hint: 'Send YAML with Content-Type: application/yaml, or valid JSON.' });
    }
  }
  return applyDocuments(deps(), principal, input, secrets());
});
