/**
 * Starts the test cluster and leaves it running.
 *   tsx tests/cluster/up.ts [--dir DIR] [--real-node]     (or: npm run cluster:up -- --real-node)
 * --real-node also starts a real node (registry, containerd, kubelet; tainted keelson.dev/real-node).
 * Progress goes to stderr; the LAST line of stdout is the kubeconfig path.
 * Ctrl-C during start-up stops what was started. Stop a running cluster with
 * tests/cluster/down.sh (kills exactly the recorded pids, tears down the real node, removes DIR).
 */
import { defaultClusterDir, startCluster } from './control-plane/start';

const i = process.argv.indexOf('--dir');
const dir = i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : defaultClusterDir();

try {
  const cluster = await startCluster({ dir, realNode: process.argv.includes('--real-node') });
  if (cluster.realNode) process.stderr.write(`[cluster] real node: ${JSON.stringify(cluster.realNode)}\n`);
  cluster.detach(); // keep it running after this script exits
  process.stdout.write(`${cluster.kubeconfigPath}\n`);
} catch (err) {
  process.stderr.write(`[cluster] start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
