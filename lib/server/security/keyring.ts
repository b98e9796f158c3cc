import { keyFileVersion, readKeyFile, type KeyKind } from '@/lib/adapters/keys/key-files';
import type { TEnv } from '@/lib/env';
import { keyringBox, sealingKey, type SealingKey, type SecretBox } from './secret-box';

/**
 * The keys of one process: sealing keys (secrets at rest) and session keys (cookies), kept apart so
 * each can be rotated on its own. Each list is newest first; the first key seals or signs, the others
 * only open or verify. Sources, in this order: KEELSON_SEALING_KEYS / KEELSON_SESSION_KEYS, the data
 * dir's key files (which `npm run keys:rotate` rewrites while Keelson runs), then KEELSON_SECRET_KEY,
 * the one secret of older installs, so their sessions and v1 values stay readable.
 */
export interface KeyringSettings {
  sealingKeys: readonly string[];
  sessionKeys: readonly string[];
  legacySecret?: string;
  /** The data dir's `keys` folder; omitted when keys come from the environment only. */
  keysDir?: string;
}

export interface Keyring {
  box: SecretBox;
  sealingKeys(): readonly SealingKey[];
  /** Session secrets, newest first. */
  sessionSecrets(): readonly string[];
  /** Reads the key files again now (a rotation wrote them). */
  refresh(): void;
}

export function keyringSettings(
  e: Pick<TEnv, 'KEELSON_SEALING_KEYS' | 'KEELSON_SESSION_KEYS' | 'KEELSON_SECRET_KEY'>,
  keysDir?: string,
): KeyringSettings {
  return {
    sealingKeys: e.KEELSON_SEALING_KEYS,
    sessionKeys: e.KEELSON_SESSION_KEYS,
    legacySecret: e.KEELSON_SECRET_KEY,
    keysDir,
  };
}

const unique = (lists: (readonly string[])[]) => [...new Set(lists.flat())];

/** How often a process looks whether a rotation rewrote the key files (a stat, no read). */
const CHECK_EVERY_MS = 1000;

export function createKeyring(settings: KeyringSettings, now: () => number = Date.now): Keyring {
  const legacy = settings.legacySecret ? [settings.legacySecret] : [];
  const state: { checkedAt: number; versions: Record<KeyKind, string>; sealing: SealingKey[]; session: string[] } = {
    checkedAt: -Infinity,
    versions: { sealing: '', session: '' },
    sealing: [],
    session: [],
  };
  const load = () => {
    const dir = settings.keysDir;
    const sealing = dir ? readKeyFile(dir, 'sealing') : { keys: [], version: '' };
    const session = dir ? readKeyFile(dir, 'session') : { keys: [], version: '' };
    state.versions = { sealing: sealing.version, session: session.version };
    state.sealing = unique([settings.sealingKeys, sealing.keys, legacy]).map(sealingKey);
    state.session = unique([settings.sessionKeys, session.keys, legacy]);
    state.checkedAt = now();
  };
  const current = () => {
    if (state.checkedAt === -Infinity) load();
    else if (settings.keysDir && now() - state.checkedAt >= CHECK_EVERY_MS) {
      const dir = settings.keysDir;
      if (
        keyFileVersion(dir, 'sealing') !== state.versions.sealing ||
        keyFileVersion(dir, 'session') !== state.versions.session
      )
        load();
      else state.checkedAt = now();
    }
    return state;
  };
  return {
    box: keyringBox({ keys: () => current().sealing, refresh: load }),
    sealingKeys: () => current().sealing,
    sessionSecrets: () => current().session,
    refresh: load,
  };
}
