import { keysDir } from '@/lib/adapters/keys/key-files';
import { env } from '@/lib/env';
import { createKeyring, keyringSettings, type Keyring } from './keyring';

const store = globalThis as typeof globalThis & { __keelsonKeyring?: Keyring };

/**
 * The keyring of this process (web server, proxy, route bundles), from the environment and the data
 * dir's key files; one per process, kept on globalThis because Next may load this module more than once.
 */
export function processKeyring(): Keyring {
  const e = env();
  store.__keelsonKeyring ??= createKeyring(keyringSettings(e, keysDir(e.KEELSON_DATA_DIR)));
  return store.__keelsonKeyring;
}
