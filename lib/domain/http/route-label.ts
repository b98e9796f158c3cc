/**
 * Metric labels for HTTP requests: the route template a path matches (`/api/v1/pipelines/:name`),
 * from a fixed list of templates, else "unmatched". The label set is bounded by the list, so no
 * request, however crafted, can mint a new series.
 */
export const UNMATCHED = 'unmatched';

type Segment = { kind: 'static'; text: string } | { kind: 'param' } | { kind: 'rest' };

export interface RouteTemplate {
  label: string;
  segments: Segment[];
}

/** Templates of routes the web server itself serves, besides the app's. */
const BUILT_IN = ['/metrics', '/_next/*'];

/**
 * `app/` file paths (`/(dashboard)/runs/[name]/page.tsx`, `/api/auth/[...nextauth]/route.ts`) as
 * templates (`/runs/:name`, `/api/auth/*`). Route groups vanish; `[x]` is one segment, `[...x]` the rest.
 */
export function templateFromAppFile(file: string): string {
  const parts = file.split('/').filter(Boolean).slice(0, -1);
  const kept = parts
    .filter((p) => !(p.startsWith('(') && p.endsWith(')')))
    .map((p) => (p.startsWith('[[...') || p.startsWith('[...') ? '*' : p.startsWith('[') ? `:${p.slice(1, -1)}` : p));
  return `/${kept.join('/')}`;
}

function rank(s: Segment): number {
  return s.kind === 'static' ? 0 : s.kind === 'param' ? 1 : 2;
}

/** Compiles templates, most specific first: at the first differing position a static segment beats a parameter, which beats a rest. */
export function compileTemplates(templates: readonly string[]): RouteTemplate[] {
  const compiled = [...new Set([...templates, ...BUILT_IN])].map((label) => ({
    label,
    segments: label
      .split('/')
      .filter(Boolean)
      .map((p): Segment =>
        p === '*' ? { kind: 'rest' } : p.startsWith(':') ? { kind: 'param' } : { kind: 'static', text: p },
      ),
  }));
  return compiled.sort((a, b) => {
    for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i += 1) {
      const x = a.segments[i];
      const y = b.segments[i];
      if (!x || !y) return x ? 1 : -1;
      if (rank(x) !== rank(y)) return rank(x) - rank(y);
    }
    return 0;
  });
}

function matches(template: RouteTemplate, parts: string[]): boolean {
  for (const [i, s] of template.segments.entries()) {
    if (s.kind === 'rest') return parts.length > i;
    if (i >= parts.length) return false;
    if (s.kind === 'static' && s.text !== parts[i]) return false;
  }
  return parts.length === template.segments.length;
}

/** The label of a request URL: its route template, or "unmatched". */
export function routeLabel(url: string, templates: readonly RouteTemplate[]): string {
  const parts = (url.split('?')[0] ?? '').split('/').filter(Boolean);
  return templates.find((t) => matches(t, parts))?.label ?? UNMATCHED;
}
