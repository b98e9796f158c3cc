import type { NextRequest } from 'next/server';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import type { BodyOf, Contract, QueryOf } from '@/lib/schemas/contract';
import { clientIp } from '@/lib/server/auth/client-ip';
import { principalFromRequest } from '@/lib/server/auth/current-principal';
import { assertSameOriginRequest } from '@/lib/server/auth/assert-same-origin-request';
import { withClient } from '@/lib/server/audit/principal-client';
import type { Principal } from '@/lib/server/principal';
import { errorResponse } from './error-response';
import { readContractInput } from './read-contract-input';
import { readJsonBody } from './read-json-body';
import { rejectNulBytes } from './reject-nul';

type Params = Record<string, string | string[] | undefined>;
interface RouteContext {
  params: Promise<Params>;
}

interface Args<B, Authed extends boolean, Q = undefined> {
  req: NextRequest;
  body: B;
  /** The query, parsed with the contract's query schema. */
  query: Q;
  params: Params;
  ip: string;
  principal: Authed extends true ? Principal : Principal | undefined;
}

interface Options<B, Authed extends boolean> {
  /** Default true: answer 401 unless a session cookie or API token identifies the caller. */
  auth?: Authed;
  body?: z.ZodType<B>;
  maxBodyBytes?: number;
  status?: number;
}

type Handler = ((req: NextRequest, ctx: RouteContext) => Promise<Response>) & { contract?: Contract };

/**
 * The one wrapper every API route uses: authenticate, parse and validate, call the service, map errors.
 * With a contract (lib/schemas/contracts), path, query and body are parsed with the contract's schemas, the very
 * objects the OpenAPI document is written from; the handler carries its contract for the drift test.
 */
export function route<C extends Contract, Authed extends boolean = true>(
  options: Omit<Options<never, Authed>, 'body' | 'maxBodyBytes'> & { contract: C },
  fn: (args: Args<BodyOf<C>, Authed, QueryOf<C>>) => Promise<unknown>,
): Handler;
export function route<B = undefined, Authed extends boolean = true>(
  options: Options<B, Authed>,
  fn: (args: Args<B, Authed>) => Promise<unknown>,
): Handler;
export function route(
  options: Options<unknown, boolean> & { body?: z.ZodType; contract?: Contract },
  routeFn: (args: never) => Promise<unknown>,
): Handler {
  const fn = routeFn as (args: Args<unknown, boolean, unknown>) => Promise<unknown>;
  const handler: Handler = async (req: NextRequest, ctx: RouteContext): Promise<Response> => {
    try {
      const principal = withClient(await principalFromRequest(req.headers, req.cookies), req.headers.get('user-agent'));
      // The session cookie rides along on any request a browser makes; only our own pages may use it to change things.
      if (principal?.via === 'session') assertSameOriginRequest(req, { requireApiContentType: true });
      if (options.auth !== false && !principal) {
        throw new AppError('UNAUTHENTICATED', 'Authentication required.', {
          hint: 'Send `Authorization: Bearer <token>` with an API token from Settings → API tokens, or log in.',
        });
      }
      // Routes without dynamic segments get no params at all from Next.js.
      const params: Params = (await ctx?.params) ?? {};
      rejectNulBytes(params, req.nextUrl.searchParams);
      const input = options.contract
        ? await readContractInput(req, params, options.contract)
        : {
            query: undefined,
            body: options.body ? await readJsonBody(req, options.body, options.maxBodyBytes) : undefined,
          };
      const result = await fn({
        req,
        ...input,
        params,
        ip: clientIp(req.headers),
        principal,
      });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return Response.json(result, { status: options.status ?? 200 });
    } catch (err) {
      return errorResponse(err);
    }
  };
  if (options.contract) handler.contract = options.contract;
  return handler;
}
