/**
 * An operation's contract: the zod schemas its route validates path, query and body with, and what it answers.
 * The route handler (app/api/_lib/handler.ts) parses with these very objects and the OpenAPI document
 * (openapi.ts) is written from them, so the two cannot drift apart.
 */
import { z } from 'zod';

/** A description, or a description and the zod schema of the JSON body. */
export type Answer = string | readonly [string, z.ZodType];

/**
 * Who reads the body: the handler, as JSON checked with `body` (json); the handler, as JSON the service checks with
 * `body` after authorizing the caller (json-checked-by-service); or the route itself, as text (read-by-route: YAML
 * documents, signed webhook payloads), its service checking it with `body`.
 */
export type BodyFormat = 'json' | 'json-checked-by-service' | 'read-by-route';

export interface Contract {
  summary: string;
  /** Callable without credentials: no security and no 401. */
  public?: boolean;
  /** Path parameters: a z.object of the {placeholders}. */
  path?: z.ZodObject;
  /** Query parameters: a z.object (strict when unknown parameters are refused). */
  query?: z.ZodObject;
  /** What a 400 for a bad query tells the caller to do. */
  queryHint?: string;
  body?: z.ZodType;
  /** Default true. */
  bodyRequired?: boolean;
  /** Default json: the handler validates the body with `body` before the route's code runs. */
  bodyFormat?: BodyFormat;
  maxBodyBytes?: number;
  /** The body may also be YAML text (Content-Type: application/yaml). */
  yaml?: boolean;
  /** Answers by status. */
  answers: Record<string, Answer>;
  /** Error answers by status; their body is ZErrorBody. */
  errors?: Record<string, string>;
}

/** Keeps the literal type of a contract, so a route gets its query and body typed. */
export const contract = <const C extends Contract>(c: C): C => c;

/** Every contract of an area, by OpenAPI path and lowercase method. */
export type ContractPaths = Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Contract>>>;

export type QueryOf<C> = C extends { query: infer Q extends z.ZodType } ? z.output<Q> : undefined;
export type BodyOf<C> = C extends { bodyFormat: 'json-checked-by-service' | 'read-by-route' }
  ? unknown
  : C extends { body: infer B extends z.ZodType }
    ? C extends { bodyRequired: false }
      ? z.output<B> | null
      : z.output<B>
    : undefined;
