import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';
import { operationBuilder, pathParam } from './openapi-operation';

const op = operationBuilder<'Error' | 'Thing'>('Error');
const ref = (name: string) => ({
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } },
});

describe('operationBuilder', () => {
  it('writes answers, Error-bodied errors and the 401 of a credentialed operation', () => {
    expect(
      op('Get a thing', {
        params: [pathParam('name')],
        answers: { '200': ['The thing', 'Thing'] },
        errors: { '404': 'No such thing' },
      }),
    ).toEqual({
      summary: 'Get a thing',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: 'The thing', ...ref('Thing') },
        '404': { description: 'No such thing', ...ref('Error') },
        '401': { description: 'No or invalid credentials', ...ref('Error') },
      },
    });
  });

  it('a public operation has no security and no 401 of its own; bodies are required or optional', () => {
    expect(op('Hook', { public: true, body: 'Thing', answers: { '202': 'Queued' } })).toEqual({
      summary: 'Hook',
      security: [],
      requestBody: { required: true, ...ref('Thing') },
      responses: { '202': { description: 'Queued' } },
    });
    expect(op('Poke', { optionalBody: 'Thing', answers: { '202': 'Queued' } }).requestBody).toEqual({
      required: false,
      ...ref('Thing'),
    });
  });
});

describe('openApiDocument', () => {
  it('documents every route with a summary and refers only to schemas it defines', () => {
    const doc = openApiDocument();
    const ops = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(ops.length).toBeGreaterThan(40);
    for (const o of ops) expect(o.summary.length).toBeGreaterThan(0);
    const refs = JSON.stringify(doc.paths).match(/#\/components\/schemas\/(\w+)/g) ?? [];
    for (const r of refs) expect(doc.components.schemas).toHaveProperty(r.split('/').pop() as string);
  });
});
