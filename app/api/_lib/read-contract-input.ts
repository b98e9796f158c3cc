import { z } from 'zod';
import { AppError } from '@/lib/errors';
import type { Contract } from '@/lib/schemas/contract';
import { parseOrThrow } from '@/lib/server/gitops/applications/parse-input';
import { parseQueryParams } from '@/lib/server/http/parse-query-params';
import { DEFAULT_MAX_BYTES, parseJsonBody, readJsonBody } from './read-json-body';
import { readTextBody } from './read-text-body';

type Params = Record<string, string | string[] | undefined>;

const PATH_HINT = 'Fix the path segments listed in issues (see GET /api/v1/openapi.json).';

/** A required JSON body that is missing: 400 before the route runs. */
function requireBody(value: unknown): unknown {
  if (value !== null) return value;
  throw new AppError('BAD_REQUEST', 'Invalid request body: (body): the request needs a JSON body.', {
    issues: [{ path: '(body)', message: 'missing' }],
    hint: 'Send a JSON object with Content-Type: application/json.',
  });
}

/** Path, query and JSON body checked with the contract's own schemas: a failure is a 400 naming the field. */
export async function readContractInput(
  req: Request & { nextUrl: URL },
  params: Params,
  contract: Contract,
): Promise<{ query: unknown; body: unknown }> {
  if (contract.path) parseOrThrow(contract.path, params, PATH_HINT, 'path');
  const query = contract.query
    ? parseQueryParams(contract.query, req.nextUrl.searchParams, contract.queryHint)
    : undefined;
  const format = contract.bodyFormat ?? 'json';
  if (!contract.body || format === 'read-by-route') return { query, body: undefined };
  const required = contract.bodyRequired !== false;
  if (format === 'json-checked-by-service') {
    const raw = await readJsonBody(req, z.unknown(), contract.maxBodyBytes);
    return { query, body: required ? requireBody(raw) : raw };
  }
  if (required) return { query, body: await readJsonBody(req, contract.body, contract.maxBodyBytes) };
  // An optional body may be left out (null for the route); one that is sent must be what the schema says.
  const text = await readTextBody(req, contract.maxBodyBytes ?? DEFAULT_MAX_BYTES);
  return { query, body: text === '' ? null : parseJsonBody(text, contract.body) };
}
