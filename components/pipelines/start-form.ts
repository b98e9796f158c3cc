import { paramSpecType, type TParamSpec, type TParamValue } from '@/lib/domain/pipeline/param-schemas';
import type { TStartPipeline } from '@/lib/schemas/pipelines';

export type WorkspaceKind = 'emptyDir' | 'pvc' | 'configMap' | 'secret' | 'none';
export interface WorkspaceChoice {
  kind: WorkspaceKind;
  ref: string;
}

/** The text a form field starts with: the default, arrays one item a line, objects as key=value lines. */
export function defaultText(spec: TParamSpec): string {
  const d = spec.default;
  if (d === undefined) return '';
  if (typeof d === 'string') return d;
  if (Array.isArray(d)) return d.join('\n');
  return Object.entries(d)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** Arrays take one item a line, or comma-separated on a single line. */
export function parseArray(text: string): string[] {
  const parts = text.includes('\n') ? text.split('\n') : text.split(',');
  return parts.map((s) => s.trim()).filter((s) => s.length > 0);
}

export function parseObject(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const eq = line.indexOf('=');
    if (eq < 0) out[line.trim()] = '';
    else out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function paramValue(spec: TParamSpec, text: string): TParamValue {
  const type = paramSpecType(spec);
  if (type === 'array') return parseArray(text);
  if (type === 'object') return parseObject(text);
  return text;
}

function binding(name: string, c: WorkspaceChoice): Record<string, unknown> & { name: string } {
  const ref = c.ref.trim();
  if (c.kind === 'pvc') return { name, persistentVolumeClaim: { claimName: ref } };
  if (c.kind === 'configMap') return { name, configMap: { name: ref } };
  if (c.kind === 'secret') return { name, secret: { secretName: ref } };
  return { name, emptyDir: {} };
}

/**
 * The start request. A param without a default that is left empty is not sent, so the API answers
 * with its own "missing param" message and path.
 */
export function startRequest(
  params: TParamSpec[],
  values: Record<string, string>,
  workspaces: Record<string, WorkspaceChoice>,
): TStartPipeline {
  return {
    params: params
      .filter((p) => p.default !== undefined || (values[p.name] ?? '').trim() !== '')
      .map((p) => ({ name: p.name, value: paramValue(p, values[p.name] ?? '') })),
    workspaces: Object.entries(workspaces)
      .filter(([, c]) => c.kind !== 'none')
      .map(([name, c]) => binding(name, c)),
  };
}
