/**
 * Glob matching as Argo CD does it (util/glob, i.e. github.com/gobwas/glob): `*` matches any run of characters
 * except the separators given, `**` any run including them, `?` one non-separator character, `[abc]`/`[a-z]`
 * a class (`[!abc]` its complement), `{a,b}` alternatives, `\` escapes. With no separators (destinations,
 * namespaces, sync-window globs) `*` therefore crosses `/`, which picomatch does not do; hence this adapter.
 * An invalid pattern matches nothing, as glob.Match returns false on a compile error.
 */
const cache = new Map<string, RegExp | null>();

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

function compile(pattern: string, separators: string): RegExp | null {
  const notSep = separators ? `[^${[...separators].map(escapeRegex).join('')}]` : '[\\s\\S]';
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return null;
      out += escapeRegex(pattern[++i]);
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') {
        out += '[\\s\\S]*';
        i++;
      } else out += `${notSep}*`;
    } else if (ch === '?') out += notSep;
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      if (!body) return null;
      const cls = [...body].map((c) => (c === '-' ? '-' : escapeRegex(c))).join('');
      out += negated ? `[^${cls}]` : `[${cls}]`;
      i = end;
    } else if (ch === '{') {
      braceDepth++;
      out += '(?:';
    } else if (ch === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (ch === ',' && braceDepth > 0) out += '|';
    else out += escapeRegex(ch);
  }
  if (braceDepth !== 0) return null;
  return new RegExp(`^${out}$`);
}

/** Whether `value` matches the glob `pattern`; `separators` are the characters `*` and `?` do not cross. */
export function globMatch(pattern: string, value: string, separators = ''): boolean {
  if (pattern === '*') return true;
  const key = `${separators}\u0000${pattern}`;
  let re = cache.get(key);
  if (re === undefined) {
    re = compile(pattern, separators);
    cache.set(key, re);
  }
  return re !== null && re.test(value);
}

/** A `!` pattern is a deny entry (sourceRepos, destinations). */
export function isDenyPattern(pattern: string): boolean {
  return pattern.startsWith('!');
}

/** Argo CD's globMatch with negation: `!p` matches what `p` does not. */
export function globMatchNegatable(pattern: string, value: string, separators = ''): boolean {
  return isDenyPattern(pattern)
    ? !globMatch(pattern.slice(1), value, separators)
    : globMatch(pattern, value, separators);
}
