import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (Secret companions, repository and cluster credentials).
 * The key is derived from KEELSON_SECRET_KEY; each value gets a fresh 96-bit nonce.
 * Format: `v1:<nonce b64url>:<ciphertext b64url>:<tag b64url>`.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function secretBox(secretKey: string): SecretBox {
  const key = createHash('sha256').update(`keelson-secret-box:${secretKey}`).digest();
  return {
    seal(plain) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', nonce.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
    },
    open(sealed) {
      const [version, nonce, body, tag] = sealed.split(':');
      if (version !== 'v1' || !nonce || body === undefined || !tag) throw new Error('not a sealed value');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
