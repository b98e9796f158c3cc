/** API tokens look like `kls_<43 base64url chars>`; the prefix makes leaked tokens easy to grep for. */
export const TOKEN_PREFIX = 'kls_';
const TOKEN_PATTERN = /^kls_[A-Za-z0-9_-]{43}$/;

export function formatApiToken(randomPart: string): string {
  return `${TOKEN_PREFIX}${randomPart}`;
}

export function isWellFormedApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** What a list shows so a user can tell tokens apart without seeing them. */
export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX.length + 6);
}

/** Parses an `Authorization: Bearer …` header; anything else is no token. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function isTokenUsable(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): boolean {
  if (token.revokedAt) return false;
  return !token.expiresAt || token.expiresAt.getTime() > now.getTime();
}
