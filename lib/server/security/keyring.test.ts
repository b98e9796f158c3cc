import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeKeyFile } from '@/lib/adapters/keys/key-files';
import { createKeyring } from './keyring';
import { sealingKey, secretBox } from './secret-box';

const key = (c: string) => c.repeat(40);

describe('keyring', () => {
  it('keeps sealing and session keys apart; env first, then the key files, then the legacy KEELSON_SECRET_KEY', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keelson-keys-'));
    writeKeyFile(dir, 'sealing', [key('f')]);
    writeKeyFile(dir, 'session', [key('g')]);
    const ring = createKeyring({ sealingKeys: [key('e')], sessionKeys: [], legacySecret: key('l'), keysDir: dir });
    expect(ring.sealingKeys().map((k) => k.id)).toEqual([key('e'), key('f'), key('l')].map((k) => sealingKey(k).id));
    expect(ring.sessionSecrets()).toEqual([key('g'), key('l')]);
  });

  it('picks up a rotation another process wrote to the key files, within a second, without a restart', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keelson-keys-'));
    writeKeyFile(dir, 'sealing', [key('a')]);
    let now = 0;
    const ring = createKeyring({ sealingKeys: [], sessionKeys: [], keysDir: dir }, () => now);
    const before = ring.box.seal('x');
    writeKeyFile(dir, 'sealing', [key('b'), key('a')]);
    // A value sealed with the new key opens at once (unknown key id → the files are read again).
    expect(ring.box.open(secretBox(key('b')).seal('y'))).toBe('y');
    now += 1000;
    expect(ring.box.activeKeyId()).toBe(sealingKey(key('b')).id);
    expect(ring.box.open(before)).toBe('x');
  });
});
