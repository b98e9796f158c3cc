/**
 * Starts the test cluster and leaves it running.
 *   tsx tests/cluster/up.ts [--dir DIR]     (or: bash tests/cluster/up.sh)
 * Progress goes to stderr; the LAST line of stdout is the kubeconfig path.
 * Stop it with tests/cluster/down.sh (kills exactly the recorded pids, removes DIR).
 */
import { defaultClusterDir, type RunningCluster, startCluster } from './control-plane/start';

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

let cluster: RunningCluster | undefined;
let starting = true;
const abort = (signal: NodeJS.Signals): void => {
  process.stderr.write(`[cluster] ${signal}: stopping what was started\n`);
  if (cluster) cluster.killNow();
  process.exit(130);
};
process.on('SIGINT', abort);
process.on('SIGTERM', abort);

try {
  cluster = await startCluster({ dir: argValue('--dir') ?? defaultClusterDir() });
  starting = false;
  process.stdout.write(`${cluster.kubeconfigPath}\n`);
} catch (err) {
  process.stderr.write(`[cluster] start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
} finally {
  if (starting) process.exitCode = 1;
}
