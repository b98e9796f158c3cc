/** Pure parsing of rendered or hand-written manifests: multi-document YAML/JSON, Lists flattened. */
import { parseAllDocuments } from 'yaml';
import { yamlTooDeep } from '@/lib/domain/http/bounded-parse';
import type { KubeObjectLike } from './types';

export type ParseResult = { ok: true; objects: KubeObjectLike[] } | { ok: false; message: string };

const SKIP_DIRECTIVE = /^\s*#\s*\+argocd:skip-file-rendering\s*$/m;

/** Argo CD's `# +argocd:skip-file-rendering` marks YAML that only looks like a manifest. */
export function isSkippedFile(text: string): boolean {
  return SKIP_DIRECTIVE.test(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isKubeObjectLike(value: Record<string, unknown>): value is KubeObjectLike {
  const { apiVersion, kind, metadata } = value;
  return (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    !!apiVersion &&
    !!kind &&
    (metadata === undefined || isRecord(metadata))
  );
}

/** Items of `kind: List` / `*List` objects, recursively; any other object as is. */
function flatten(value: Record<string, unknown>): Record<string, unknown>[] {
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.filter(isRecord).flatMap(flatten);
  }
  return [value];
}

/**
 * Parses every document of `text` (named `source` in messages). Empty documents are
 * skipped; a document that is not an object with string `apiVersion` and `kind` is an error.
 */
export function parseManifests(text: string, source: string): ParseResult {
  const objects: KubeObjectLike[] = [];
  const tooDeep = yamlTooDeep(text);
  if (tooDeep) return { ok: false, message: `${source}: ${tooDeep}` };
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: true });
  if (!Array.isArray(docs)) return { ok: true, objects };
  for (const [index, doc] of docs.entries()) {
    const error = doc.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line;
      const firstLine = error.message.split('\n')[0];
      return { ok: false, message: `${source}${line ? ` line ${line}` : ''}: invalid YAML: ${firstLine}` };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (err) {
      // An alias bomb in a repository is that repository's error, not the controller's.
      return { ok: false, message: `${source}: document ${index + 1} could not be read: ${(err as Error).message}` };
    }
    if (value === null || value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (!isRecord(item)) return { ok: false, message: `${source}: document ${index + 1} is not a Kubernetes object` };
      for (const obj of flatten(item)) {
        if (!isKubeObjectLike(obj)) {
          const line = doc.contents?.range ? lineOf(text, doc.contents.range[0]) : undefined;
          return {
            ok: false,
            message: `${source}${line ? ` line ${line}` : ''}: document ${index + 1} is not a Kubernetes object (apiVersion and kind are required)`,
          };
        }
        objects.push(obj);
      }
    }
  }
  return { ok: true, objects };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}
