import { newKey, readKeyFile, writeKeyFile, type KeyKind } from '@/lib/adapters/keys/key-files';
import { createKeyring, type KeyringSettings } from './keyring';
import type { SealedValueDeps } from './ports';
import { resealAll, sealedKeyUsage, type ResealReport } from './reseal-all';
import { sealingKey } from './secret-box';

export interface RotateOptions {
  /** Which keys get a new one (only for keys kept in the data dir's files). */
  kinds: KeyKind[];
  /**
   * Keys are the deployment's (KEELSON_SECRET_KEY in the environment): processes may not share this data
   * dir, so a key file written here would be unknown to them. Nothing is generated; only re-sealing.
   */
  envManaged?: boolean;
  /** Time for running processes to notice the new key files before re-sealing (they look every second). */
  graceMs: number;
  /** Afterwards, drop older keys no sealed value uses any more (and older session keys: their sessions end). */
  retire: boolean;
  log: (line: string) => void;
}

export interface RotateReport extends ResealReport {
  activeSealingKey: string;
  /** Sealed values by key id after the rotation. */
  usage: Record<string, number>;
  retired: string[];
}

/**
 * `npm run keys:rotate`. Keys in the data dir: a new sealing and session key go first in their files,
 * running processes pick them up within a second, then every sealed value is re-sealed with the new
 * key; old keys stay readable until `--retire`. Keys from the environment (KEELSON_SEALING_KEYS) are the
 * operator's to add; this then only re-seals with the first one. No restart, no downtime.
 */
export async function rotateKeys(
  deps: SealedValueDeps,
  settings: KeyringSettings,
  o: RotateOptions,
): Promise<RotateReport> {
  const fromEnv: Record<KeyKind, readonly string[]> = { sealing: settings.sealingKeys, session: settings.sessionKeys };
  for (const kind of o.kinds) {
    if (o.envManaged || !settings.keysDir || fromEnv[kind].length > 0) {
      o.log(
        `${kind} keys come from the environment: put a new key first in KEELSON_${kind.toUpperCase()}_KEYS on every process; nothing generated.`,
      );
      continue;
    }
    const current = readKeyFile(settings.keysDir, kind).keys;
    writeKeyFile(settings.keysDir, kind, [newKey(), ...current]);
    o.log(`new ${kind} key written to ${settings.keysDir}/${kind}.keys (older keys kept for reading)`);
  }
  if (o.graceMs > 0) await new Promise((r) => setTimeout(r, o.graceMs));
  const keyring = createKeyring(settings);
  const activeSealingKey = keyring.box.activeKeyId();
  o.log(`re-sealing every value with key ${activeSealingKey}`);
  const report = await resealAll(deps, keyring.box);
  const usage = await sealedKeyUsage(deps);
  const retired = o.retire && settings.keysDir ? retire(settings.keysDir, usage, activeSealingKey) : [];
  return { ...report, activeSealingKey, usage, retired };
}

function retire(dir: string, usage: Record<string, number>, active: string): string[] {
  const retired: string[] = [];
  const sealing = readKeyFile(dir, 'sealing').keys;
  // v1 values carry no key id: while any is left, every key stays.
  const keep = sealing.filter((k) => usage.v1 || sealingKey(k).id === active || usage[sealingKey(k).id]);
  if (keep.length < sealing.length) writeKeyFile(dir, 'sealing', keep);
  retired.push(...sealing.filter((k) => !keep.includes(k)).map((k) => `sealing ${sealingKey(k).id}`));
  const session = readKeyFile(dir, 'session').keys;
  if (session.length > 1) {
    writeKeyFile(dir, 'session', session.slice(0, 1));
    retired.push(`${session.length - 1} older session key(s) (their sessions end)`);
  }
  return retired;
}
