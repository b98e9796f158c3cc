import { describe, expect, it } from 'vitest';
import { bearerToken, displayPrefix, formatApiToken, isTokenUsable, isWellFormedApiToken } from './api-token';

const sample = formatApiToken('A'.repeat(43));

describe('api tokens', () => {
  it('recognises well-formed tokens only', () => {
    expect(isWellFormedApiToken(sample)).toBe(true);
    expect(isWellFormedApiToken(`${sample}x`)).toBe(false);
    expect(isWellFormedApiToken('kls_short')).toBe(false);
    expect(isWellFormedApiToken(`abc_${'A'.repeat(43)}`)).toBe(false);
  });

  it('shows only a short prefix', () => {
    expect(displayPrefix(sample)).toBe('kls_AAAAAA');
  });

  it('parses bearer headers', () => {
    expect(bearerToken(`Bearer ${sample}`)).toBe(sample);
    expect(bearerToken(`bearer   ${sample} `)).toBe(sample);
    expect(bearerToken(`Basic abc`)).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });

  it('treats revoked and expired tokens as unusable', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    expect(isTokenUsable({ revokedAt: null, expiresAt: null }, now)).toBe(true);
    expect(isTokenUsable({ revokedAt: now, expiresAt: null }, now)).toBe(false);
    expect(isTokenUsable({ revokedAt: null, expiresAt: new Date('2026-04-30T00:00:00Z') }, now)).toBe(false);
    expect(isTokenUsable({ revokedAt: null, expiresAt: new Date('2026-05-02T00:00:00Z') }, now)).toBe(true);
  });
});
