/** The node's image registry: Debian's docker-registry serving the prebuilt image store read-only on loopback. */
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { registryConfigYaml } from '../../images';
import { type ManagedProcess, startProcess } from '../processes';
import { DOCKER_REGISTRY } from './requirements';

export function startRegistry(clusterDir: string, nodeDir: string, storeDir: string, port: number): ManagedProcess {
  const config = join(nodeDir, 'registry.yml');
  writeFileSync(config, registryConfigYaml(storeDir, port));
  return startProcess(clusterDir, 'registry', DOCKER_REGISTRY, ['serve', config]);
}

/** True once GET /v2/ answers 200. */
export function registryReady(address: string): Promise<boolean> {
  return new Promise((resolveReady) => {
    const req = request(`http://${address}/v2/`, { timeout: 1000 }, (res) => {
      res.resume();
      resolveReady(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveReady(false));
    req.end();
  });
}
