/**
 * vitest globalSetup for the `cluster` project: one control plane per test run.
 * - KEELSON_TEST_KUBECONFIG set: use that cluster (kind, k3d, real...), start nothing.
 * - otherwise: build missing binaries (needs Go) and start tests/cluster on loopback.
 * - no Go, no kubeconfig: one loud line, tests skip; under CI=true that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { clusterSrcDir, missingControlPlaneBinaries, missingRealNodeBinaries } from '../../cluster/binaries';
import { type RunningCluster, startCluster } from '../../cluster/control-plane/start';
import { cleanupDir, recordedPids } from '../../cluster/control-plane/processes';
import { realNodeProblems } from '../../cluster/control-plane/real-node/requirements';
import { sweepOrphanNodes } from '../../cluster/control-plane/real-node/teardown';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute kubeconfig path of the test cluster, or '' when cluster tests are skipped. */
    kubeconfig: string;
    /** JSON of RealNodeInfo (real-node.ts) when the cluster has a real node, else ''. */
    realNode: string;
    /** Why there is no real node ('' when there is one). */
    realNodeSkipReason: string;
  }
}

const repoRoot = join(clusterSrcDir, '..', '..');
const runsDir = join(repoRoot, '.keelson');
const RUN_PREFIX = 'vitest-cluster-';

const hasGo = (): boolean => spawnSync('go', ['version'], { stdio: 'ignore' }).status === 0;

/** Removes data dirs of earlier runs whose vitest process is gone (e.g. killed with -9). */
async function sweepStaleRuns(): Promise<void> {
  // Names are vitest-cluster-<pid of the owning vitest process or worker>[-suffix].
  for (const entry of existsSync(runsDir) ? readdirSync(runsDir).filter((e) => e.startsWith(RUN_PREFIX)) : []) {
    const ownerPid = Number(/^\d+/.exec(entry.slice(RUN_PREFIX.length))?.[0]);
    if (!Number.isInteger(ownerPid)) continue;
    let ownerAlive = false;
    try {
      process.kill(ownerPid, 0);
      ownerAlive = true;
    } catch {
      /* owner is gone */
    }
    if (ownerAlive) continue;
    const dir = join(runsDir, entry);
    const pids = recordedPids(dir);
    await cleanupDir(dir);
    if (pids.length > 0) console.warn(`[cluster] killed ${pids.length} stale process(es) left by an earlier test run`);
  }
  // Real nodes of clusters elsewhere (a test's temp dir) whose processes are all gone.
  for (const dir of sweepOrphanNodes()) console.warn(`[cluster] removed the real node a dead cluster left: ${dir}`);
}

function skipOrFail(reason: string): string {
  const how =
    'install Go >= 1.26 (tests/cluster/build.sh then builds the control plane once), ' +
    'or set KEELSON_TEST_KUBECONFIG=/path/to/kubeconfig to use any cluster';
  if (process.env.CI === 'true') throw new Error(`cluster tests cannot run under CI: ${reason}; ${how}`);
  console.warn(`\n!!!!! CLUSTER TESTS SKIPPED: ${reason}. To enable them: ${how}. !!!!!\n`);
  return '';
}

let realNodeSkipReason = '';

/** True when this host can run a real node; otherwise one loud line (and a failure under CI=true). */
function realNodeWanted(): boolean {
  if (process.env.KEELSON_TEST_REAL_NODE === '0') {
    realNodeSkipReason = 'KEELSON_TEST_REAL_NODE=0';
    return false;
  }
  if (process.getuid?.() === 0 && missingRealNodeBinaries().length > 0 && hasGo()) {
    console.warn(`[cluster] building the real node's binaries (${missingRealNodeBinaries().join(', ')}; ~2-8 min)...`);
    spawnSync('bash', [join(clusterSrcDir, 'build.sh'), 'k8s', 'containerd', 'cni', 'tekton'], { stdio: 'inherit' });
  }
  const problems = realNodeProblems();
  if (problems.length === 0) return true;
  realNodeSkipReason = `this host cannot run a real node: ${problems.join('; ')}`;
  if (process.env.CI === 'true') throw new Error(`real-node tests cannot run under CI: ${realNodeSkipReason}`);
  console.warn(`\n!!!!! REAL-NODE TESTS SKIPPED: ${realNodeSkipReason} !!!!!\n`);
  return false;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  project.provide('realNode', '');
  project.provide('realNodeSkipReason', 'the cluster tests are skipped');
  const given = process.env.KEELSON_TEST_KUBECONFIG;
  if (given) {
    if (!existsSync(given)) throw new Error(`KEELSON_TEST_KUBECONFIG=${given} does not exist`);
    project.provide('kubeconfig', given);
    project.provide('realNodeSkipReason', 'KEELSON_TEST_KUBECONFIG names a cluster of its own (no keelson real node)');
    return async () => {};
  }

  if (missingControlPlaneBinaries().length > 0) {
    if (!hasGo()) {
      project.provide('kubeconfig', skipOrFail('Go is not installed and KEELSON_TEST_KUBECONFIG is not set'));
      return async () => {};
    }
    console.warn('[cluster] building control-plane binaries (first build takes ~30 min on 2 cores)...');
    const build = spawnSync('bash', [join(clusterSrcDir, 'build.sh')], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('tests/cluster/build.sh failed');
  }

  await sweepStaleRuns();
  const realNode = realNodeWanted();
  // startCluster kills its processes itself on SIGINT/SIGTERM/SIGHUP and on exit, also mid-start.
  const dir = join(runsDir, `${RUN_PREFIX}${process.pid}`);
  const cluster: RunningCluster = await startCluster({ dir, realNode }).catch((err: unknown) => {
    // The checks passed but the node did not come up: under CI that is a failure; on a laptop, run the rest.
    if (!realNode || process.env.CI === 'true') throw err;
    realNodeSkipReason = `the real node failed to start: ${err instanceof Error ? err.message : String(err)}`;
    console.warn(`\n!!!!! REAL-NODE TESTS SKIPPED: ${realNodeSkipReason} !!!!!\n`);
    return startCluster({ dir });
  });
  console.warn(`[cluster] test cluster usable in ${cluster.startupMs} ms: ${cluster.kubeconfigPath}`);
  process.env.KEELSON_TEST_KUBECONFIG = cluster.kubeconfigPath;
  project.provide('kubeconfig', cluster.kubeconfigPath);
  project.provide('realNode', cluster.realNode ? JSON.stringify(cluster.realNode) : '');
  project.provide('realNodeSkipReason', cluster.realNode ? '' : realNodeSkipReason);

  return async () => {
    await cluster.stop();
    delete process.env.KEELSON_TEST_KUBECONFIG;
  };
}
