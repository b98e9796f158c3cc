import { createHmac, timingSafeEqual } from 'node:crypto';

export type Provider = 'github' | 'gitlab';

function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers only; a length mismatch is a mismatch (it leaks only the length).
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
 * GitLab: `X-Gitlab-Token: <the shared secret>`. Both compared in constant time.
 */
export function verifySignature(
  provider: Provider,
  headers: Readonly<Record<string, string>>,
  rawBody: Buffer | string,
  secret: string,
): { ok: true } | { ok: false; reason: string } {
  if (provider === 'github') {
    const given = headers['x-hub-signature-256'];
    if (!given) return { ok: false, reason: 'missing X-Hub-Signature-256 header' };
    const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
    return constantTimeEqual(given, expected)
      ? { ok: true }
      : { ok: false, reason: 'X-Hub-Signature-256 does not match the body' };
  }
  const token = headers['x-gitlab-token'];
  if (!token) return { ok: false, reason: 'missing X-Gitlab-Token header' };
  return constantTimeEqual(token, secret) ? { ok: true } : { ok: false, reason: 'X-Gitlab-Token does not match' };
}
