/**
 * The OpenAPI document cannot drift from the routes: every exported handler under app/api carries the contract
 * it validates with (route({ contract }) or withContract), and that very object is the one the document is written
 * from, at the route's own path and method. Nothing is documented that no route exports.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contracts, openApiDocument } from '../../lib/schemas/openapi';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** app/api route files as OpenAPI paths (`[name]` → `{name}`); catch-alls are not operations. */
function routeFiles(dir = 'app/api'): { path: string; file: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name.startsWith('_') || name.startsWith('[...') ? [] : routeFiles(full);
    if (name !== 'route.ts') return [];
    return [{ path: '/' + path.relative('app', dir).replace(/\[(\w+)\]/g, '{$1}'), file: full }];
  });
}

async function exportedOperations() {
  const ops: { key: string; path: string; method: string; contract: unknown }[] = [];
  for (const r of routeFiles()) {
    const mod = (await import(path.resolve(r.file))) as Record<string, unknown>;
    for (const m of METHODS) {
      const handler = mod[m] as { contract?: unknown } | undefined;
      if (handler)
        ops.push({ key: `${m} ${r.path}`, path: r.path, method: m.toLowerCase(), contract: handler.contract });
    }
  }
  return ops;
}

describe('the OpenAPI document and the routes', () => {
  it('documents every exported method with the contract object its handler validates with, and nothing else', async () => {
    const ops = await exportedOperations();
    expect(ops.length).toBeGreaterThan(70);
    const notTheDocumented = ops
      .filter((o) => o.contract === undefined || o.contract !== contracts[o.path]?.[o.method as 'get'])
      .map((o) => o.key);
    expect(notTheDocumented).toEqual([]);
    const exported = new Set(ops.map((o) => o.key));
    const documentedOnly = Object.entries(openApiDocument().paths)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .filter((k) => !exported.has(k));
    expect(documentedOnly).toEqual([]);
  });
});
