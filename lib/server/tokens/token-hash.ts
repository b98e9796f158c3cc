import { createHash, randomBytes } from 'node:crypto';
import { formatApiToken } from '@/lib/domain/auth/api-token';

/** Tokens carry 256 random bits, so a plain sha256 is enough to store them safely and look them up fast. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newApiToken(): string {
  return formatApiToken(randomBytes(32).toString('base64url'));
}
