/**
 * tests/cluster/images/prune.sh (build.sh runs it after a build): stores of other keys untouched for an hour
 * go, except one a running docker-registry serves (a cluster started earlier still pulls from it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registryConfigYaml } from '../../cluster/images';
import { freePorts } from '../../cluster/control-plane/ports';
import { DOCKER_REGISTRY } from '../../cluster/control-plane/real-node/requirements';
import { waitFor } from './cluster';

const prune = join(import.meta.dirname, '..', '..', 'cluster', 'images', 'prune.sh');
const hasRegistry = existsSync(DOCKER_REGISTRY);
if (!hasRegistry) console.warn(`[images] ${DOCKER_REGISTRY} is not installed: prune.sh not tested`);

describe.skipIf(!hasRegistry)('image store pruning', () => {
  it('removes old stores of other keys but keeps the current one, recent ones and one a registry serves', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'kimg-'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    const store = (key: string, old: boolean): string => {
      mkdirSync(join(cache, key, 'registry', 'docker'), { recursive: true });
      writeFileSync(join(cache, key, 'images.json'), '[]\n');
      if (old) utimesSync(join(cache, key), twoHoursAgo, twoHoursAgo);
      return join(cache, key);
    };
    const [current, served, unused, recent] = [
      store('current', true),
      store('served', true),
      store('unused', true),
      store('recent', false),
    ];
    const [port = 0] = await freePorts(1);
    const config = join(cache, '.registry.yml');
    writeFileSync(config, registryConfigYaml(join(served, 'registry'), port));
    const registry = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: 'ignore' });
    try {
      await waitFor('docker-registry running', async () => {
        try {
          return readlinkSync(`/proc/${registry.pid}/exe`) === DOCKER_REGISTRY;
        } catch {
          return false;
        }
      });
      const r = spawnSync('bash', [prune, cache, current], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`kept ${served}: a running docker-registry serves it`);
      expect([current, served, unused, recent].map(existsSync)).toEqual([true, true, false, true]);
    } finally {
      registry.kill('SIGKILL');
    }
    // Once no registry serves it, it goes too.
    await waitFor('docker-registry gone', async () => !existsSync(`/proc/${registry.pid}/exe`));
    expect(spawnSync('bash', [prune, cache, current]).status).toBe(0);
    expect([current, served, recent].map(existsSync)).toEqual([true, false, true]);
    rmSync(cache, { recursive: true, force: true });
  });
});
