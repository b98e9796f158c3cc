import { parseAllDocuments } from 'yaml';
import { errorMessage } from '../error-message';

/**
 * Parsing of untrusted JSON and YAML with bounds, so that hostile input is a message, never a crash:
 * nesting deeper than MAX_NESTING_DEPTH (recursive code downstream, JSON.stringify and structuredClone
 * included, would overflow the stack) and YAML aliases that expand without bound ("billion laughs").
 */
export const MAX_NESTING_DEPTH = 64;
export const MAX_YAML_ALIASES = 100;

export type BoundedParse<T> = { ok: true; value: T } | { ok: false; message: string; path: string };

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The character offset where JSON text first nests deeper than `max`, or -1; strings are skipped. */
export function jsonDepthExceededAt(text: string, max = MAX_NESTING_DEPTH): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i += 1;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) depth -= 1;
  }
  return -1;
}

/** JSON.parse with a depth cap; `path` is where the problem is (`offset N` for the text). */
export function parseJsonText(text: string, max = MAX_NESTING_DEPTH): BoundedParse<unknown> {
  const at = jsonDepthExceededAt(text, max);
  if (at >= 0)
    return {
      ok: false,
      path: `(body) offset ${at}`,
      message: `nesting deeper than ${max} levels of arrays or objects`,
    };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, path: '(body)', message: `not valid JSON: ${errorMessage(err)}` };
  }
}

/** The path of the first array or object nested deeper than `max` in a parsed value, or undefined (no recursion). */
export function valueTooDeepAt(value: unknown, max = MAX_NESTING_DEPTH): string | undefined {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return path || '(root)';
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [`[${i}]`, x])
      : Object.entries(v).map(([k, x]) => [path ? `.${k}` : k, x]);
    for (const [suffix, child] of entries) stack.push({ v: child, depth: depth + 1, path: `${path}${suffix}` });
  }
  return undefined;
}

export interface YamlDocumentValue {
  /** Zero-based index of the document in the stream. */
  doc: number;
  value: unknown;
}

export interface YamlDocumentError {
  doc: number;
  /** Dotted path inside the document, empty for the whole document. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/**
 * How deep a YAML text may look before the parser is not even asked. The `yaml` parser recurses per level; some
 * 800 levels down it overflows the stack, and V8 then fails hard (a fatal RegExp compiler allocation error kills
 * the process) the next time that process parses anything. So every YAML text is measured first, cheaply and
 * conservatively: `[`/`{` nesting (brackets inside strings count too), a line's indentation, and compact
 * `- - -` sequences. The bounds are far above any real document; the parsed value is held to
 * MAX_NESTING_DEPTH (64) afterwards anyway.
 */
export const MAX_YAML_FLOW_DEPTH = 256;
export const MAX_YAML_INDENT = 400;

/** Why a YAML text is too deep to hand to the parser (with where), or undefined. */
export function yamlTooDeep(text: string): string | undefined {
  let flow = 0;
  let line = 1;
  let atLineStart = true;
  let indent = 0;
  let dashes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      line++;
      atLineStart = true;
      indent = 0;
      dashes = 0;
      continue;
    }
    if (atLineStart) {
      if (c === 0x20 || c === 0x09) {
        if (++indent + dashes > MAX_YAML_INDENT) return `indentation deeper than ${MAX_YAML_INDENT} at line ${line}`;
        continue;
      }
      if (
        (c === 0x2d || c === 0x3f || c === 0x3a) &&
        (text.charCodeAt(i + 1) === 0x20 || text.charCodeAt(i + 1) === 0x09)
      ) {
        dashes++;
        continue;
      }
      atLineStart = false;
    }
    if (c === 0x5b || c === 0x7b) {
      if (++flow > MAX_YAML_FLOW_DEPTH) return `flow nesting deeper than ${MAX_YAML_FLOW_DEPTH} levels at line ${line}`;
    } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
  }
  return undefined;
}

/**
 * Every document of a YAML stream as a plain value, with aliases and nesting bounded. Empty documents
 * (a trailing `---`, comments only) are left out. Never throws for any input.
 */
export function parseYamlDocuments(
  text: string,
  options: { maxAliasCount?: number; maxDepth?: number; merge?: boolean } = {},
): { values: YamlDocumentValue[]; errors: YamlDocumentError[] } {
  const maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
  const values: YamlDocumentValue[] = [];
  const errors: YamlDocumentError[] = [];
  let docs: ReturnType<typeof parseAllDocuments>;
  const tooDeep = yamlTooDeep(text);
  if (tooDeep) return { values, errors: [{ doc: 0, path: '', message: `malformed YAML: ${tooDeep}` }] };
  try {
    const parsed = parseAllDocuments(text, { merge: options.merge ?? false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    return { values, errors: [{ doc: 0, path: '', message: `malformed YAML: ${errorMessage(err)}` }] };
  }
  docs.forEach((document, doc) => {
    if (document.errors.length > 0) {
      for (const err of document.errors) {
        const pos = err.linePos?.[0];
        errors.push({
          doc,
          path: '',
          message: `malformed YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${err.message.split('\n')[0]}`,
          line: pos?.line,
          column: pos?.col,
        });
      }
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: options.maxAliasCount ?? MAX_YAML_ALIASES });
    } catch (err) {
      const aliases = err instanceof ReferenceError && /alias/i.test(err.message);
      errors.push({
        doc,
        path: '',
        message: aliases
          ? `YAML aliases expand to too many nodes (more than ${options.maxAliasCount ?? MAX_YAML_ALIASES} alias uses per document)`
          : `the YAML could not be read: ${errorMessage(err)}`,
      });
      return;
    }
    const deep = valueTooDeepAt(value, maxDepth);
    if (deep !== undefined) {
      errors.push({ doc, path: deep, message: `nesting deeper than ${maxDepth} levels of mappings or lists` });
      return;
    }
    if (value !== null && value !== undefined) values.push({ doc, value });
  });
  return { values, errors };
}
