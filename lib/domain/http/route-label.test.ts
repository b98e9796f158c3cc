import { expect, it } from 'vitest';
import { compileTemplates, routeLabel, templateFromAppFile } from './route-label';

const templates = compileTemplates(
  [
    '/(dashboard)/runs/[name]/page.tsx',
    '/(dashboard)/settings/tokens/page.tsx',
    '/page.tsx',
    '/api/[...path]/route.ts',
    '/api/auth/[...nextauth]/route.ts',
    '/api/v1/tokens/[id]/route.ts',
    '/api/v1/pipelineruns/[name]/cancel/route.ts',
    '/api/v1/pipelineruns/[name]/route.ts',
    '/api/v1/apply/route.ts',
  ].map(templateFromAppFile),
);

/** Request URL → its metrics label. */
const LABELS: Record<string, string> = {
  '/': '/',
  '/runs/build-42?page=2': '/runs/:name',
  '/settings/tokens': '/settings/tokens',
  '/_next/static/chunks/abc.js': '/_next/*',
  '/api/v1/tokens/3b241101-e2bb-4255-8caf-4136c566a962': '/api/v1/tokens/:id',
  '/api/v1/pipelineruns/42/cancel': '/api/v1/pipelineruns/:name/cancel',
  '/api/v1/apply': '/api/v1/apply',
  '/api/auth/callback/credentials': '/api/auth/*',
  '/api/v1/nothing/here': '/api/*',
  '/metrics': '/metrics',
  '/no-such-page': 'unmatched',
  '/runs/a/b': 'unmatched',
};

it.each(Object.entries(LABELS))('labels %s as %s', (url, label) => {
  expect(routeLabel(url, templates)).toBe(label);
});

it('gives a bounded set of labels for any number of distinct paths', () => {
  const labels = new Set(
    Array.from({ length: 1000 }, (_, i) => routeLabel(`/x${i}/api/v1/tokens/${i}/../${'a'.repeat(i % 50)}`, templates)),
  );
  expect(labels).toEqual(new Set(['unmatched']));
});
