/**
 * Rendered manifests by (repository, SHA, path, options). A commit never changes, so an
 * entry stays valid until evicted (least recently used first, bounded by entries and bytes).
 * Entries are stored as JSON: every `get` returns a fresh copy that callers may mutate.
 * Only successful renderings are cached (a timeout or a missing binary may not recur).
 */
import { createHash } from 'node:crypto';
import { normalizeRepoUrl } from '../git/repo-url';
import type { RenderResult, RenderSourceSpec, RenderTool } from './types';

type Rendered = Extract<RenderResult, { ok: true }>;

export interface RenderCacheKeyInput {
  repoUrl: string;
  sha: string;
  source: RenderSourceSpec;
}

export interface RenderCache {
  get(key: string): Rendered | undefined;
  set(key: string, result: RenderResult): void;
  /** Cached result, or renders once for all concurrent callers of the same key. */
  getOrRender(key: string, render: () => Promise<RenderResult>): Promise<RenderResult>;
  size(): number;
  clear(): void;
}

/** JSON with object keys sorted, so equal options hash equally whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function renderCacheKey({ repoUrl, sha, source }: RenderCacheKeyInput): string {
  const { path, ...options } = source;
  const normalizedPath = (path ?? '').replace(/^\/+|\/+$/g, '') || '.';
  const optionsHash = createHash('sha256').update(stableJson(options)).digest('hex').slice(0, 16);
  return `${normalizeRepoUrl(repoUrl)}|${sha.toLowerCase()}|${normalizedPath}|${optionsHash}`;
}

export function createRenderCache(opts: { maxEntries?: number; maxBytes?: number } = {}): RenderCache {
  const maxEntries = opts.maxEntries ?? 1000;
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  const entries = new Map<string, { tool: RenderTool; json: string }>();
  const inFlight = new Map<string, Promise<RenderResult>>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    bytes -= entry.json.length;
    entries.delete(key);
  };

  const get = (key: string): Rendered | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    entries.delete(key);
    entries.set(key, entry);
    // The cache's own serialization of objects `set` was given (not outside JSON): no parse needed.
    const objects: Rendered['objects'] = JSON.parse(entry.json);
    return { ok: true, tool: entry.tool, objects };
  };

  const set = (key: string, result: RenderResult) => {
    if (!result.ok) return;
    remove(key);
    const json = JSON.stringify(result.objects);
    if (json.length > maxBytes) return;
    entries.set(key, { tool: result.tool, json });
    bytes += json.length;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      remove(oldest);
    }
  };

  const getOrRender = (key: string, render: () => Promise<RenderResult>): Promise<RenderResult> => {
    const hit = get(key);
    if (hit) return Promise.resolve(hit);
    let pending = inFlight.get(key);
    if (!pending) {
      pending = render()
        .then((result) => {
          set(key, result);
          return result;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    // Concurrent callers each get their own copy.
    return pending.then((result) => (result.ok ? (get(key) ?? structuredClone(result)) : result));
  };

  return {
    get,
    set,
    getOrRender,
    size: () => entries.size,
    clear: () => {
      entries.clear();
      bytes = 0;
    },
  };
}
