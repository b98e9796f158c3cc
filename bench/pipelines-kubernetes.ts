/**
 * The Kubernetes side of `npm run bench:pipelines -- --executor kubernetes`: a test cluster with a real node
 * (kubelet + containerd + runc, images from its local registry, as bench/node.ts starts it) and the Kubernetes
 * executor on it, wired as a worker wires it; TaskRun pods go to the real node through a default pod template.
 */
import { join } from 'node:path';
import { clusterSrcDir } from '../tests/cluster/binaries';
import { type RunningCluster, startCluster } from '../tests/cluster/control-plane/start';
import { kubernetesOnRealNode, type RealNodeExecutor } from '../tests/integration/support/kubernetes-on-real-node';

export interface BenchCluster {
  cluster: RunningCluster;
  kubernetes: RealNodeExecutor;
  stop(): Promise<void>;
}

export async function startBenchCluster(log: (line: string) => void): Promise<BenchCluster> {
  const dir = join(clusterSrcDir, '..', '..', '.keelson', `bench-pipelines-${process.pid}`);
  const cluster = await startCluster({ dir, realNode: true, log: (l) => log(`[cluster] ${l}`) });
  const onSignal = () => {
    cluster.killNow();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (!cluster.realNode) {
    await cluster.stop();
    throw new Error('the test cluster started without its real node');
  }
  const kubernetes = kubernetesOnRealNode({
    kubeconfigPath: cluster.kubeconfigPath,
    registry: cluster.realNode.registry,
    namespace: 'bench-pipelines',
    // The whole 50-task DAG's widest level at once, as a worker with the setting at 20 would not: 8 + headroom.
    maxConcurrentTaskRuns: 50,
    onHookError: (e) => log(`[kubernetes] hook failed: ${e instanceof Error ? e.message : String(e)}`),
  });
  return {
    cluster,
    kubernetes,
    async stop() {
      await kubernetes.deleteNamespace();
      await cluster.stop();
    },
  };
}
