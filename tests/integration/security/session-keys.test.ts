import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSealedValueStore } from '../../../lib/adapters/db/sealed-value-store';
import { keysDir, readKeyFile, writeKeyFile } from '../../../lib/adapters/keys/key-files';
import { sessionKeyId } from '../../../lib/server/auth/session-jwt';
import { rotateKeys } from '../../../lib/server/security/rotate-keys';
import { sealingKey } from '../../../lib/server/security/secret-box';
import { ensureKeyFiles } from '../../../scripts/start/secrets';
import { testDatabase, type TestDatabase } from '../support/test-database';
import { installTestWebContext, webEnv, webUser } from './web-support';

/** Session keys are not sealing keys, carry a key id in each cookie, and rotate without logging anyone out. */
let t: TestDatabase;
let dir: string;
let principalFromCookies: typeof import('../../../lib/server/auth/current-principal').principalFromCookies;
const A = `session-a-${randomBytes(16).toString('hex')}`;
const cookieOf = (header: string) => {
  const [name, value] = header.split(/=(.*)/s);
  return { get: (n: string) => (n === name ? { value } : undefined) };
};
const settle = () => new Promise((r) => setTimeout(r, 1100));

beforeAll(async () => {
  t = await testDatabase();
  webEnv(t);
  // Keys as `npm start` keeps them: in the data dir's files, not in the environment.
  delete process.env.KEELSON_SESSION_KEYS;
  delete process.env.KEELSON_SECRET_KEY;
  dir = keysDir(process.env.KEELSON_DATA_DIR!);
  writeKeyFile(dir, 'session', [A]);
  writeKeyFile(dir, 'sealing', [`sealing-${randomBytes(16).toString('hex')}`]);
  installTestWebContext();
  principalFromCookies = (await import('../../../lib/server/auth/current-principal')).principalFromCookies;
});

describe('session keys (hole 13)', () => {
  it('a first start makes a sealing key and a different session key', () => {
    const data = mkdtempSync(path.join(os.tmpdir(), 'keelson-first-start-'));
    ensureKeyFiles(data, { sealing: [], session: [] });
    const sealing = readKeyFile(keysDir(data), 'sealing').keys;
    const session = readKeyFile(keysDir(data), 'session').keys;
    expect(sealing).toHaveLength(1);
    expect(session).toHaveLength(1);
    expect(sealing[0]).not.toBe(session[0]);
    // A second start (or a racing one) keeps the keys it finds.
    ensureKeyFiles(data, { sealing: [], session: [] });
    expect(readKeyFile(keysDir(data), 'sealing').keys).toEqual(sealing);
    // A deployment that sets KEELSON_SECRET_KEY gets no key file: its containers may not share the data dir.
    const deployed = mkdtempSync(path.join(os.tmpdir(), 'keelson-deployed-'));
    ensureKeyFiles(deployed, { sealing: [], session: [], legacy: 'x'.repeat(40) });
    expect(readKeyFile(keysDir(deployed), 'sealing').keys).toEqual([]);
  });

  it('cookies name their key; after a rotation old cookies still log in until the old key is retired, new ones use the new key', async () => {
    const before = await webUser(t, 'rotating');
    expect(before.cookie.split('=')[1].startsWith(`${sessionKeyId(A)}.`)).toBe(true);
    expect(await principalFromCookies(cookieOf(before.cookie))).toMatchObject({ username: 'rotating' });

    await rotateKeys(
      { sealed: createSealedValueStore(t.handle.db) },
      { sealingKeys: [], sessionKeys: [], keysDir: dir },
      { kinds: ['session'], graceMs: 0, retire: false, log: () => undefined },
    );
    const [B] = readKeyFile(dir, 'session').keys;
    await settle();
    expect(await principalFromCookies(cookieOf(before.cookie))).toMatchObject({ username: 'rotating' });
    const after = await webUser(t, 'rotated');
    expect(after.cookie.split('=')[1].startsWith(`${sessionKeyId(B)}.`)).toBe(true);
    // The sealing keys are untouched by a session rotation, and no session key is a sealing key.
    expect(readKeyFile(dir, 'sealing').keys.map((k) => sealingKey(k).id)).not.toContain(sealingKey(B).id);

    await rotateKeys(
      { sealed: createSealedValueStore(t.handle.db) },
      { sealingKeys: [], sessionKeys: [], keysDir: dir },
      { kinds: [], graceMs: 0, retire: true, log: () => undefined },
    );
    await settle();
    expect(await principalFromCookies(cookieOf(before.cookie))).toBeUndefined();
    expect(await principalFromCookies(cookieOf(after.cookie))).toMatchObject({ username: 'rotated' });
  });
});
