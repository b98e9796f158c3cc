import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { sessionJwt, sessionKeyId } from './session-jwt';

const A = 'session-a-'.repeat(4);
const B = 'session-b-'.repeat(4);

describe('session cookies with key ids', () => {
  it('signs with the newest key and names it; cookies of an older key verify until that key is dropped', async () => {
    let keys = [A];
    const jwt = sessionJwt(() => keys);
    const old = await jwt.encode({ token: { sid: 'one' }, secret: '', maxAge: 60 });
    expect(old.startsWith(`${sessionKeyId(A)}.`)).toBe(true);
    keys = [B, A];
    const fresh = await jwt.encode({ token: { sid: 'two' }, secret: '', maxAge: 60 });
    expect(fresh.startsWith(`${sessionKeyId(B)}.`)).toBe(true);
    expect(await jwt.decode({ token: old, secret: '' })).toMatchObject({ sid: 'one' });
    expect(await jwt.decode({ token: fresh, secret: '' })).toMatchObject({ sid: 'two' });
    keys = [B];
    expect(await jwt.decode({ token: old, secret: '' })).toBeNull();
    expect(await jwt.decode({ token: fresh, secret: '' })).toMatchObject({ sid: 'two' });
  });

  it('reads cookies from before key ids (plain next-auth JWE with KEELSON_SECRET_KEY) and refuses forged key ids', async () => {
    const legacy = await encode({ token: { sid: 'legacy' }, secret: A, maxAge: 60 });
    expect(await sessionJwt(() => [B, A]).decode({ token: legacy, secret: '' })).toMatchObject({ sid: 'legacy' });
    expect(await sessionJwt(() => [B]).decode({ token: legacy, secret: '' })).toBeNull();
    const relabelled = `${sessionKeyId(B)}.${legacy}`;
    expect(await sessionJwt(() => [B, A]).decode({ token: relabelled, secret: '' })).toBeNull();
  });
});
