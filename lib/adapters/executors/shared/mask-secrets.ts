export const MASK = '***';

/**
 * Builds a function that replaces every secret in a log line with `***`. Masking works on whole
 * lines, so a secret split across output chunks is still caught. A multi-line secret cannot appear
 * whole in one line, so each of its lines is masked on its own as well.
 */
export function createMasker(secrets: readonly string[]): (line: string) => string {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    needles.add(secret);
    if (/[\r\n]/.test(secret)) {
      for (const part of secret.split(/\r?\n/)) if (part.trim().length > 0) needles.add(part);
    }
  }
  if (needles.size === 0) return (line) => line;
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...needles].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
  return (line) => line.replace(pattern, MASK);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
