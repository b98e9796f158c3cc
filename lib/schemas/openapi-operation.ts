/** Turns a contract (lib/schemas/contract.ts) into an OpenAPI operation: parameters, body and answers from its zod schemas. */
import { z } from 'zod';
import type { Contract } from './contract';

export type Json = Record<string, unknown>;

export interface Operation {
  summary: string;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, unknown>;
}

/** A zod schema as JSON Schema: what a client may send (input side of defaults and transforms). */
export function jsonSchema(schema: z.ZodType): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  return rest;
}

/** route() refuses a NUL byte in any path segment or query value (reject-nul.ts): a free string says so. */
const NO_NUL = '^[^\\x00]*$';
const withoutNul = (schema: Json): Json =>
  schema.type === 'string' && !schema.pattern && !schema.enum ? { ...schema, pattern: NO_NUL } : schema;

function parameters(where: 'path' | 'query', object: z.ZodObject | undefined): Json[] {
  if (!object) return [];
  const s = jsonSchema(object) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: withoutNul(schema),
  }));
}

/** Builds operations from contracts; schemas that are components of the document become $refs. */
export function operationBuilder(components: ReadonlyMap<z.ZodType, string>, errorSchema: z.ZodType) {
  const schemaOf = (s: z.ZodType): Json => {
    const name = components.get(s);
    return name ? { $ref: `#/components/schemas/${name}` } : jsonSchema(s);
  };
  const json = (s: z.ZodType) => ({ content: { 'application/json': { schema: schemaOf(s) } } });
  const error = (description: string) => ({ description, ...json(errorSchema) });
  return (c: Contract): Operation => {
    const responses: Record<string, unknown> = {};
    for (const [status, a] of Object.entries(c.answers))
      responses[status] = typeof a === 'string' ? { description: a } : { description: a[0], ...json(a[1]) };
    const errors: Record<string, string> = { ...c.errors };
    // What the handler itself answers before the route runs: bad input, and no such {name}.
    if (c.path || c.query || c.body) errors['400'] ??= 'Invalid input: issues name each bad field and how to fix it';
    if (c.path) errors['404'] ??= 'Not found';
    if (c.body) errors['413'] ??= 'Body too large';
    if (!c.public) errors['401'] ??= 'No or invalid credentials';
    // Every call with credentials is authorized (Argo CD's resource, action, object): any may be refused.
    if (!c.public) errors['403'] ??= 'Not permitted: details.denied names {resource, action, object}';
    for (const [status, description] of Object.entries(errors))
      if (!(status in responses)) responses[status] = error(description);
    const parameters_ = [...parameters('path', c.path), ...parameters('query', c.query)];
    const content: Json = {};
    if (c.body) content['application/json'] = { schema: schemaOf(c.body) };
    if (c.yaml) content['application/yaml'] = { schema: { type: 'string' } };
    return {
      summary: c.summary,
      ...(c.public ? { security: [] } : {}),
      ...(parameters_.length ? { parameters: parameters_ } : {}),
      ...(c.body ? { requestBody: { required: c.bodyRequired !== false, content } } : {}),
      responses,
    };
  };
}
