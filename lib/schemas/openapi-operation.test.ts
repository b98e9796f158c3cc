import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract } from './contract';
import { openApiDocument } from './openapi';
import { operationBuilder } from './openapi-operation';

const ZThing = z.object({ n: z.number() });
const ZError = z.object({ error: z.string() });
const op = operationBuilder(
  new Map<z.ZodType, string>([
    [ZThing, 'Thing'],
    [ZError, 'Error'],
  ]),
  ZError,
);
const ref = (name: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

describe('operationBuilder', () => {
  it('writes path and query parameters from their zod schemas, answers, and Error-bodied errors', () => {
    const o = op(
      contract({
        summary: 'Get a thing',
        path: z.object({
          name: z
            .string()
            .max(63)
            .regex(/^[a-z]+$/),
        }),
        query: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          format: z.enum(['json', 'text']).optional(),
          kind: z.string().min(1),
        }),
        answers: { '200': ['The thing', ZThing] },
        errors: { '404': 'No such thing' },
      }),
    );
    expect(o.parameters).toEqual([
      { name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 63, pattern: '^[a-z]+$' } },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
      },
      { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'text'] } },
      // A free string says route() refuses a NUL byte in it.
      { name: 'kind', in: 'query', required: true, schema: { type: 'string', minLength: 1, pattern: '^[^\\x00]*$' } },
    ]);
    expect(o.responses).toEqual({
      '200': { description: 'The thing', ...ref('Thing') },
      '404': { description: 'No such thing', ...ref('Error') },
      '400': { description: expect.stringContaining('Invalid input'), ...ref('Error') },
      '401': { description: 'No or invalid credentials', ...ref('Error') },
      '403': { description: expect.stringContaining('Not permitted'), ...ref('Error') },
    });
  });

  it('a public operation has no security and no 401; bodies are required or optional, inline when unnamed', () => {
    const hook = op(contract({ summary: 'Hook', public: true, body: ZThing, answers: { '202': 'Queued' } }));
    expect(hook.security).toEqual([]);
    expect(hook.requestBody).toEqual({ required: true, ...ref('Thing') });
    expect(hook.responses['401']).toBeUndefined();
    expect(Object.keys(hook.responses).sort()).toEqual(['202', '400', '413']);
    const poke = op(
      contract({
        summary: 'Poke',
        body: z.strictObject({ hard: z.boolean() }),
        bodyRequired: false,
        yaml: true,
        answers: { '202': 'Queued' },
      }),
    );
    expect(poke.requestBody).toEqual({
      required: false,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { hard: { type: 'boolean' } },
            required: ['hard'],
            additionalProperties: false,
          },
        },
        'application/yaml': { schema: { type: 'string' } },
      },
    });
  });
});

describe('openApiDocument', () => {
  it('documents every route with a summary and refers only to schemas it defines', () => {
    const doc = openApiDocument();
    const ops = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(ops.length).toBeGreaterThan(70);
    for (const o of ops) expect(o.summary.length).toBeGreaterThan(0);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const r of refs) expect(r).toMatch(/^"\$ref":"#\/components\/schemas\/\w+"$/);
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r.split('/').pop()!.replace('"', ''));
  });

  it('gives every path parameter a schema tighter than any string, and every error an Error body', () => {
    const doc = openApiDocument();
    for (const [path, methods] of Object.entries(doc.paths))
      for (const [method, o] of Object.entries(methods)) {
        const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const params = (o.parameters ?? []) as { name: string; in: string; schema: Record<string, unknown> }[];
        expect(
          params.filter((p) => p.in === 'path').map((p) => p.name),
          `${method} ${path}`,
        ).toEqual(placeholders);
        for (const p of params.filter((p) => p.in === 'path'))
          expect(Object.keys(p.schema).length, `${method} ${path} {${p.name}}`).toBeGreaterThan(1);
        for (const status of ['401', '403', '409', '413', '429'])
          if (status in o.responses && !path.startsWith('/api/webhooks/triggers'))
            expect(o.responses[status], `${method} ${path} ${status}`).toMatchObject(ref('Error'));
      }
  });
});
