import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealV1 } from '../../fixtures/seal-v1';
import { readKeyFile, writeKeyFile } from '../../../lib/adapters/keys/key-files';
import { clusters, companions, gitWebhookSecrets, repositories } from '../../../lib/adapters/db/schema';
import { createCompanionStore } from '../../../lib/adapters/db/companion-store';
import { createSealedValueStore } from '../../../lib/adapters/db/sealed-value-store';
import { loadCompanions } from '../../../lib/server/pipeline/companion-data';
import { createKeyring } from '../../../lib/server/security/keyring';
import { sealedKeyUsage } from '../../../lib/server/security/reseal-all';
import { rotateKeys } from '../../../lib/server/security/rotate-keys';
import { sealingKey, secretBox, type SecretBox } from '../../../lib/server/security/secret-box';
import { testDatabase, type TestDatabase } from '../support/test-database';

const A = `key-a-${randomBytes(16).toString('hex')}`;
const LEGACY = `legacy-${randomBytes(16).toString('hex')}`;
const quiet = () => undefined;

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});

/** Every sealed value of the database, opened with `box`: throws if any is unreadable. */
async function openEverything(box: SecretBox) {
  const db = t.handle.db;
  const repos = await db.select().from(repositories);
  const cls = await db.select().from(clusters);
  const hooks = await db.select().from(gitWebhookSecrets);
  const secrets = await loadCompanions(
    createCompanionStore(db),
    box,
    {
      configMaps: [],
      secrets: ['creds', 'old'],
    },
    'default',
  );
  return {
    repos: repos.map((r) => box.open(r.sealedCredentials!)),
    clusters: cls.map((r) => box.open(r.sealedCredentials)),
    hooks: hooks.map((r) => box.open(r.sealedSecret)),
    secrets: secrets.secrets,
  };
}

describe('keelson keys:rotate re-seals everything without downtime', () => {
  it('seal with A (and v1 with the legacy key), rotate: every value carries the new key id, a process with A+B reads all, and after retiring A the new key alone reads all', async () => {
    const db = t.handle.db;
    const boxA = secretBox(A);
    await db.insert(repositories).values({
      url: 'https://git.example/r',
      normalizedUrl: 'git.example/r',
      sealedCredentials: boxA.seal('{"password":"p1"}'),
      createdBy: 't',
    });
    await db
      .insert(clusters)
      .values({ name: 'c', server: 'https://c', sealedCredentials: sealV1(LEGACY, '{"token":"t1"}'), createdBy: 't' });
    await db
      .insert(gitWebhookSecrets)
      .values({ provider: 'github', sealedSecret: boxA.seal('hook-secret'), updatedBy: 't' });
    await db.insert(companions).values([
      {
        kind: 'Secret',
        name: 'creds',
        data: { sealed: { token: boxA.seal('tok'), user: boxA.seal('me') } },
        createdBy: 't',
      },
      { kind: 'Secret', name: 'old', data: { sealed: { pw: sealV1(LEGACY, 'old-pw') } }, createdBy: 't' },
    ]);
    const expected = {
      repos: ['{"password":"p1"}'],
      clusters: ['{"token":"t1"}'],
      hooks: ['hook-secret'],
      secrets: { creds: { token: 'tok', user: 'me' }, old: { pw: 'old-pw' } },
    };

    const keysDir = mkdtempSync(path.join(os.tmpdir(), 'keelson-rotate-'));
    writeKeyFile(keysDir, 'sealing', [A]);
    writeKeyFile(keysDir, 'session', ['session-a-'.repeat(4)]);
    const settings = { sealingKeys: [], sessionKeys: [], legacySecret: LEGACY, keysDir };
    // A process already running before the rotation, reading the same key files.
    const running = createKeyring(settings);
    expect(await openEverything(running.box)).toEqual(expected);

    const report = await rotateKeys({ sealed: createSealedValueStore(db) }, settings, {
      kinds: ['sealing', 'session'],
      graceMs: 0,
      retire: false,
      log: quiet,
    });
    const [B, oldA] = readKeyFile(keysDir, 'sealing').keys;
    expect(oldA).toBe(A);
    expect(readKeyFile(keysDir, 'session').keys).toHaveLength(2);
    const kidB = sealingKey(B).id;
    expect(report.activeSealingKey).toBe(kidB);
    expect(report.unreadable).toEqual([]);
    expect(report.usage).toEqual({ [kidB]: 6 });

    // The running process reads values sealed with the key it had never seen, without a restart.
    expect(await openEverything(running.box)).toEqual(expected);
    // A process with only A and B (no legacy key) reads everything, and so does B alone.
    expect(await openEverything(secretBox([B, A]))).toEqual(expected);
    expect(await openEverything(secretBox(B))).toEqual(expected);

    const retired = await rotateKeys({ sealed: createSealedValueStore(db) }, settings, {
      kinds: [],
      graceMs: 0,
      retire: true,
      log: quiet,
    });
    expect(retired.retired).toEqual([`sealing ${sealingKey(A).id}`, '1 older session key(s) (their sessions end)']);
    expect(readKeyFile(keysDir, 'sealing').keys).toEqual([B]);
    expect(await openEverything(createKeyring({ sealingKeys: [], sessionKeys: [], keysDir }).box)).toEqual(expected);
    expect(await sealedKeyUsage({ sealed: createSealedValueStore(db) })).toEqual({ [kidB]: 6 });
  });

  it('with keys from the environment, generates nothing and re-seals with the first listed key', async () => {
    const C = `key-c-${randomBytes(16).toString('hex')}`;
    const before = await sealedKeyUsage({ sealed: createSealedValueStore(t.handle.db) });
    const logs: string[] = [];
    const report = await rotateKeys(
      { sealed: createSealedValueStore(t.handle.db) },
      { sealingKeys: [C], sessionKeys: [], keysDir: undefined, legacySecret: undefined },
      { kinds: ['sealing'], graceMs: 0, retire: false, log: (l) => logs.push(l) },
    );
    // This process has only C: it cannot open the values sealed with B, and says so instead of destroying them.
    expect(report.unreadable.map((u) => u.replace(/\/[0-9a-f-]{36}$/, '')).sort()).toEqual([
      'clusters',
      'companions/Secret creds',
      'companions/Secret old',
      'git_webhook_secrets/github',
      'repositories',
    ]);
    expect(logs[0]).toMatch(/KEELSON_SEALING_KEYS/);
    expect(await sealedKeyUsage({ sealed: createSealedValueStore(t.handle.db) })).toEqual(before);
  });
});
