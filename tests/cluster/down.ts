/**
 * Stops a test cluster started by up.sh/up.ts: kills exactly the pids recorded in <dir>/pids/*.pid (only if
 * that pid still runs the recorded binary, started at the recorded time in this boot), tears down its real node
 * (processes left in its cgroups, mounts, network namespaces, bridge, cgroup folders; sysctls restored), then
 * removes <dir>. A real-node record that does not match the dir (paths, slot, a symlink) stops it with exit 1,
 * nothing touched.
 *   tsx tests/cluster/down.ts [DIR]     default: ${KEELSON_CLUSTER_DIR:-.keelson/test-cluster}
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultClusterDir } from './control-plane/start';
import { cleanupDir } from './control-plane/processes';
import { sweepOrphanNodes } from './control-plane/real-node/teardown';

const dir = process.argv[2] ? resolve(process.argv[2]) : defaultClusterDir();
if (!existsSync(dir)) {
  process.stderr.write(`[cluster] nothing to stop: ${dir} does not exist\n`);
} else {
  try {
    const pids = await cleanupDir(dir);
    process.stderr.write(`[cluster] stopped ${pids.length} process(es); removed ${dir}\n`);
  } catch (err) {
    process.stderr.write(`[cluster] stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
for (const orphan of sweepOrphanNodes())
  process.stderr.write(`[cluster] removed the real node a dead cluster left: ${orphan}\n`);
