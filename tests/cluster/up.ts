/**
 * Starts the test cluster and leaves it running.
 *   tsx tests/cluster/up.ts [--dir DIR]     (or: bash tests/cluster/up.sh)
 * Progress goes to stderr; the LAST line of stdout is the kubeconfig path.
 * Stop it with tests/cluster/down.sh (kills exactly the recorded pids, removes DIR).
 */
import { killPidsNow, recordedPids } from './control-plane/processes';
import { defaultClusterDir, type RunningCluster, startCluster } from './control-plane/start';

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dir = argValue('--dir') ?? defaultClusterDir();
let cluster: RunningCluster | undefined;
const abort = (signal: NodeJS.Signals): void => {
  process.stderr.write(`[cluster] ${signal}: stopping what was started\n`);
  // Mid-start there is no handle yet: kill what the pid files recorded so far.
  if (cluster) cluster.killNow();
  else killPidsNow(recordedPids(dir));
  process.exit(130);
};
process.on('SIGINT', abort);
process.on('SIGTERM', abort);

try {
  cluster = await startCluster({ dir });
  process.stdout.write(`${cluster.kubeconfigPath}\n`);
} catch (err) {
  process.stderr.write(`[cluster] start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
