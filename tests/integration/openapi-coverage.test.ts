import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openApiDocument } from '../../lib/schemas/openapi';

/** Lists app/api route files as OpenAPI paths with their exported HTTP methods. */
function routes(dir = 'app/api'): { path: string; methods: string[] }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name.startsWith('_') || name.startsWith('[...') ? [] : routes(full);
    if (name !== 'route.ts') return [];
    const source = readFileSync(full, 'utf8');
    const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) =>
      new RegExp(`export (const|function|async function) ${m}\\b|as ${m}\\b`).test(source),
    );
    const apiPath = '/' + path.relative('app', path.dirname(full)).replace(/\[(\w+)\]/g, '{$1}');
    return [{ path: apiPath, methods }];
  });
}

it('documents every API route and method in the OpenAPI document', () => {
  const doc = openApiDocument();
  const undocumented = routes().flatMap((r) =>
    r.methods.filter((m) => !doc.paths[r.path]?.[m.toLowerCase()]).map((m) => `${m} ${r.path}`),
  );
  expect(undocumented).toEqual([]);
  expect(Object.keys(doc.components.schemas)).toContain('CreateTokenInput');
});
