/** `$(…)` references in Tekton fields: finding them and naming what they point at. */
export type VarValue = string | string[] | Record<string, string>;

export interface VarRef {
  /** The whole text, `$(params.arr[*])`. */
  text: string;
  /** Path segments, `['params', 'arr']`; bracketed names (`params['a.b']`) are one segment. */
  segments: string[];
  /** `[*]` is '*', `[2]` is 2. */
  index?: '*' | number;
}

const REFERENCE = /\$\(([^()]+)\)/g;
const SEGMENT = /\.?(?:([A-Za-z0-9_-]+)|\[(?:'([^']+)'|"([^"]+)")\])/y;

/** Parses the inside of `$( … )`, or undefined when it is not a path Tekton would recognise. */
export function parseReference(inner: string): Omit<VarRef, 'text'> | undefined {
  const segments: string[] = [];
  let pos = 0;
  const source = inner.trim();
  let index: '*' | number | undefined;
  while (pos < source.length) {
    const tail = /^\[(\*|\d+)\]$/.exec(source.slice(pos));
    if (tail && segments.length > 0) {
      index = tail[1] === '*' ? '*' : Number(tail[1]);
      break;
    }
    SEGMENT.lastIndex = pos;
    const match = SEGMENT.exec(source);
    if (!match || (pos === 0 && source[0] === '.') || (pos > 0 && source[pos] !== '.' && source[pos] !== '['))
      return undefined;
    segments.push(match[1] ?? match[2] ?? match[3]);
    pos = SEGMENT.lastIndex;
  }
  return segments.length > 0 ? { segments, index } : undefined;
}

export function findReferences(text: string): VarRef[] {
  const out: VarRef[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const parsed = parseReference(match[1]);
    if (parsed) out.push({ text: match[0], ...parsed });
  }
  return out;
}

/** Every string inside a param value, when list, or matrix entry. */
export function stringsIn(value: VarValue | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value : Object.values(value);
}

export interface ResultReference {
  task: string;
  result: string;
  text: string;
}

/**
 * `$(tasks.T.results.R…)` references, which make T a parent of the task that holds them; also
 * `$(finally.T.results.R…)`, the form pipeline results use for a finally task's results.
 */
export function resultReferences(texts: readonly string[]): ResultReference[] {
  const out: ResultReference[] = [];
  for (const text of texts) {
    for (const ref of findReferences(text)) {
      const [root, task, kind, result] = ref.segments;
      if ((root === 'tasks' || root === 'finally') && kind === 'results' && task && result)
        out.push({ task, result, text: ref.text });
    }
  }
  return out;
}

/** `$(tasks.T.status)` and `$(tasks.T.reason)` references (finally tasks only). */
export function statusReferences(texts: readonly string[]): { task: string; text: string }[] {
  const out: { task: string; text: string }[] = [];
  for (const text of texts) {
    for (const ref of findReferences(text)) {
      const [root, task, kind] = ref.segments;
      if (root === 'tasks' && ref.segments.length === 3 && (kind === 'status' || kind === 'reason'))
        out.push({ task, text: ref.text });
    }
  }
  return out;
}
