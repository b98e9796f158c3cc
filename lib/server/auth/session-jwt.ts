import { createHash } from 'node:crypto';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from 'next-auth/jwt';
import { decode, encode } from 'next-auth/jwt';

/**
 * Session cookies with a key id, so session keys rotate without logging anyone out: a cookie is
 * `<key id>.<next-auth JWE>`, sealed with the newest session key; one signed with an older key still
 * opens while that key is in the keyring, until the session expires. Cookies from before key ids (a
 * bare JWE, made with KEELSON_SECRET_KEY) are tried against every key.
 */
export const sessionKeyId = (secret: string) =>
  createHash('sha256').update(`keelson-session-key-id:${secret}`).digest('hex').slice(0, 12);

export interface SessionJwt {
  encode(params: JWTEncodeParams): Promise<string>;
  decode(params: JWTDecodeParams): Promise<JWT | null>;
}

export function sessionJwt(secrets: () => readonly string[]): SessionJwt {
  return {
    async encode({ token, maxAge, salt }) {
      const secret = secrets()[0];
      if (!secret) throw new Error('no session key is configured');
      return `${sessionKeyId(secret)}.${await encode({ token, secret, maxAge, salt })}`;
    },
    async decode({ token, salt }) {
      if (!token) return null;
      const parts = token.split('.');
      const named = parts.length === 6 ? parts[0] : undefined;
      const jwe = named ? parts.slice(1).join('.') : token;
      const candidates = named ? secrets().filter((s) => sessionKeyId(s) === named) : secrets();
      for (const secret of candidates) {
        const payload = await decode({ token: jwe, secret, salt }).catch(() => null);
        if (payload) return payload;
      }
      return null;
    },
  };
}
