/**
 * Glob matching as Argo CD's RBAC does it: github.com/gobwas/glob compiled without separators
 * (util/glob.Match(pattern, text)), so `*` matches any run of characters, `/` included. Supported:
 * `*`, `**`, `?`, `[abc]`, `[a-z]`, `[!abc]`, `{a,b}` and `\` escapes. A pattern that does not compile
 * matches nothing, as upstream's Match returns false on a compile error.
 */
export function globMatch(pattern: string, value: string): boolean {
  const source = globToRegExpSource(pattern);
  return source !== null && new RegExp(`^${source}$`, 's').test(value);
}

const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/]/g;

function escapeLiteral(text: string): string {
  return text.replace(REGEXP_SPECIAL, '\\$&');
}

function globToRegExpSource(pattern: string): string | null {
  let out = '';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) return null;
      out += escapeLiteral(pattern[++i]);
    } else if (c === '*') {
      while (pattern[i + 1] === '*') i++;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return null;
      let body = pattern.slice(i + 1, end);
      const negated = body.startsWith('!');
      if (negated) body = body.slice(1);
      if (body === '') return null;
      out += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      braceDepth++;
      out += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      out += ')';
    } else if (c === ',' && braceDepth > 0) {
      out += '|';
    } else {
      out += escapeLiteral(c);
    }
  }
  return braceDepth === 0 ? out : null;
}
