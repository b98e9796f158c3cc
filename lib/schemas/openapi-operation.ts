/** The OpenAPI building blocks shared by openapi.ts and openapi-applications.ts. */
export type Json = Record<string, unknown>;

export interface Operation {
  summary: string;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, unknown>;
}

/** One operation, written as data: what it takes and what it answers. */
export interface OperationSpec<S extends string> {
  params?: Json[];
  /** A required JSON body of this schema. */
  body?: S;
  /** The same, optional. */
  optionalBody?: S;
  /** A request body written out (several content types). */
  rawBody?: Json;
  /** Answers by status: a description, or a description and the JSON schema of the body. */
  answers: Record<string, string | readonly [string, S]>;
  /** Error answers by status; their body is the Error schema. */
  errors?: Record<string, string>;
  /** Callable without credentials: no security and no 401. */
  public?: boolean;
}

export const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
export const queryParam = (name: string) => ({ name, in: 'query', required: false, schema: { type: 'string' } });

/** Builds operations from specs, with the component refs of the document's schemas. */
export function operationBuilder<S extends string>(errorSchema: S) {
  const ref = (name: S) => ({ $ref: `#/components/schemas/${name}` });
  const json = (name: S) => ({ content: { 'application/json': { schema: ref(name) } } });
  const error = (description: string) => ({ description, ...json(errorSchema) });
  return (summary: string, s: OperationSpec<S>): Operation => {
    const responses: Record<string, unknown> = {};
    for (const [status, a] of Object.entries(s.answers))
      responses[status] = typeof a === 'string' ? { description: a } : { description: a[0], ...json(a[1]) };
    for (const [status, description] of Object.entries(s.errors ?? {})) responses[status] = error(description);
    if (!s.public) responses['401'] = error('No or invalid credentials');
    const body = s.body ?? s.optionalBody;
    return {
      summary,
      ...(s.public ? { security: [] } : {}),
      ...(s.params ? { parameters: s.params } : {}),
      ...(body ? { requestBody: { required: s.body !== undefined, ...json(body) } } : {}),
      ...(s.rawBody ? { requestBody: s.rawBody } : {}),
      responses,
    };
  };
}
