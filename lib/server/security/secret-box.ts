import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (Secret companions, repository and cluster credentials, webhook secrets).
 * Every value names the key that sealed it, so several keys can be readable at once while a rotation
 * re-seals everything with the newest one:
 *   `v2:<key id>:<nonce b64url>:<ciphertext b64url>:<tag b64url>` (the `v2:<key id>` prefix is the AAD),
 *   `v1:<nonce>:<ciphertext>:<tag>` (before key ids; still read, by trying every key).
 * Each value gets a fresh 96-bit nonce.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
  /** The id of the key `seal` uses now. */
  activeKeyId(): string;
}

export interface SealingKey {
  id: string;
  key: Buffer;
}

/** A sealing secret (32+ characters) → its AES key and a public id (a fingerprint that reveals nothing of the key). */
export function sealingKey(secret: string): SealingKey {
  const key = createHash('sha256').update(`keelson-secret-box:${secret}`).digest();
  return { id: createHash('sha256').update('keelson-key-id:').update(key).digest('hex').slice(0, 12), key };
}

/** The key id of a sealed value; `undefined` for the v1 format, which carries none. */
export function sealedKeyId(sealed: string): string | undefined {
  const [version, kid] = sealed.split(':');
  return version === 'v2' ? kid : undefined;
}

export class UnknownKeyError extends Error {}

export interface KeySource {
  /** Readable keys, the one to seal with first. */
  keys(): readonly SealingKey[];
  /** Called when a value names a key this process lacks: a rotation may have added one meanwhile. */
  refresh?(): void;
}

function decrypt(key: Buffer, nonce: string, body: string, tag: string, aad?: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
  if (aad) decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

/** A box over a set of keys that may change while the process runs (see live-keyring.ts). */
export function keyringBox(source: KeySource): SecretBox {
  const active = () => {
    const key = source.keys()[0];
    if (!key) throw new UnknownKeyError('no sealing key is configured');
    return key;
  };
  const find = (kid: string) => source.keys().find((k) => k.id === kid);
  return {
    activeKeyId: () => active().id,
    seal(plain) {
      const { id, key } = active();
      const nonce = randomBytes(12);
      const aad = `v2:${id}`;
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [
        aad,
        nonce.toString('base64url'),
        body.toString('base64url'),
        cipher.getAuthTag().toString('base64url'),
      ].join(':');
    },
    open(sealed) {
      const parts = sealed.split(':');
      if (parts[0] === 'v1' && parts.length === 4 && parts[1] && parts[3]) {
        for (const { key } of source.keys()) {
          try {
            return decrypt(key, parts[1], parts[2], parts[3]);
          } catch {
            // not this key; try the next one
          }
        }
        throw new UnknownKeyError('none of the configured sealing keys opens this v1 value');
      }
      const [version, kid, nonce, body, tag] = parts;
      if (version !== 'v2' || parts.length !== 5 || !kid || !nonce || !tag) throw new Error('not a sealed value');
      let found = find(kid);
      if (!found) {
        source.refresh?.();
        found = find(kid);
      }
      if (!found)
        throw new UnknownKeyError(
          `value sealed with key ${kid}, which this process does not have; add that key (KEELSON_SEALING_KEYS or the data dir's keys/sealing.keys)`,
        );
      return decrypt(found.key, nonce, body, tag, `v2:${kid}`);
    },
  };
}

/** A box with fixed keys (newest first); one string is the single-key form older code and tests use. */
export function secretBox(secrets: string | readonly string[]): SecretBox {
  const keys = (typeof secrets === 'string' ? [secrets] : secrets).map(sealingKey);
  return keyringBox({ keys: () => keys });
}
