import { describe, expect, it } from 'vitest';
import { createRenderCache, renderCacheKey } from './render-cache';
import type { RenderResult } from './types';

const ok = (name: string): RenderResult => ({
  ok: true,
  tool: 'directory',
  objects: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }],
});
const sha = 'a'.repeat(40);

describe('renderCacheKey', () => {
  it('ignores URL spelling and option key order, but not option values, path or SHA', () => {
    const base = renderCacheKey({
      repoUrl: 'https://Git.example.com/org/app.git',
      sha,
      source: { path: 'k8s', helm: { releaseName: 'a', namespace: 'n' } },
    });
    expect(
      renderCacheKey({
        repoUrl: 'https://git.example.com/org/app/',
        sha,
        source: { helm: { namespace: 'n', releaseName: 'a' }, path: '/k8s/' },
      }),
    ).toBe(base);
    const other = (change: { sha?: string; path?: string; releaseName?: string }) =>
      renderCacheKey({
        repoUrl: 'https://git.example.com/org/app',
        sha: change.sha ?? sha,
        source: { path: change.path ?? 'k8s', helm: { releaseName: change.releaseName ?? 'a', namespace: 'n' } },
      });
    expect(other({ releaseName: 'b' })).not.toBe(base);
    expect(other({ path: 'other' })).not.toBe(base);
    expect(other({ sha: 'b'.repeat(40) })).not.toBe(base);
  });
});

describe('createRenderCache', () => {
  it('evicts the least recently used entry', () => {
    const cache = createRenderCache({ maxEntries: 2 });
    cache.set('a', ok('a'));
    cache.set('b', ok('b'));
    cache.get('a');
    cache.set('c', ok('c'));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.objects[0].metadata?.name).toBe('a');
    expect(cache.size()).toBe(2);
  });

  it('is bounded by bytes too, and never caches errors', () => {
    const cache = createRenderCache({ maxBytes: 100 });
    cache.set('a', ok('a'));
    cache.set('b', ok('b'));
    expect(cache.size()).toBe(1);
    cache.set('e', { ok: false, error: { tool: 'helm', message: 'boom' } });
    expect(cache.get('e')).toBeUndefined();
  });

  it('hands out copies', () => {
    const cache = createRenderCache();
    cache.set('a', ok('a'));
    const first = cache.get('a');
    if (first?.objects[0].metadata) first.objects[0].metadata.name = 'changed';
    expect(cache.get('a')?.objects[0].metadata?.name).toBe('a');
  });

  it('renders once for concurrent callers of one key', async () => {
    const cache = createRenderCache();
    let renders = 0;
    const render = async () => {
      renders += 1;
      return ok('x');
    };
    const results = await Promise.all([
      cache.getOrRender('k', render),
      cache.getOrRender('k', render),
      cache.getOrRender('k', render),
    ]);
    expect(renders).toBe(1);
    expect(results[0]).not.toBe(results[1]);
    await cache.getOrRender('k', render);
    expect(renders).toBe(1);
  });
});
