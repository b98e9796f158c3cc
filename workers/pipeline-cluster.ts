/**
 * The Kubernetes side of the pipeline worker: follows the `pipelines.executor` setting (and KEELSON_PIPELINE_CLUSTER,
 * which wins) and keeps a Kubernetes executor on that registered cluster, connected through its stored credentials
 * as the gitops controller connects. Rebuilt when the setting or the cluster's registration changes.
 */
import { createExecutorSettingStore } from '@/lib/adapters/db/executor-setting-store';
import { createGitopsStores } from '@/lib/adapters/db/gitops-stores';
import {
  createKubernetesExecutor,
  deleteRunClaims,
  sweepOrphanPods,
  type ImageCommandSource,
} from '@/lib/adapters/executors/kubernetes';
import { createAccessStores } from '@/lib/adapters/db/access-stores';
import { connect, type KubeConnection } from '@/lib/adapters/k8s';
import { effectiveExecutorSetting, namespaceFor } from '@/lib/domain/pipeline/executor-setting';
import type { PodPolicy } from '@/lib/domain/pipeline/kubernetes/pod-policy';
import type { Deps } from '@/lib/server/deps';
import { clusterTargetFor } from '@/lib/server/gitops/app-target';
import type { KubernetesChoice } from '@/lib/server/pipeline/task-run-executors';
import type { SecretBox } from '@/lib/server/security/secret-box';

export interface PipelineClusterOptions {
  /** KEELSON_PIPELINE_CLUSTER: wins over the stored setting's cluster. */
  envCluster?: string;
  images: { entrypoint: string; shell: string };
  imageConfig: ImageCommandSource;
  /** KEELSON_ALLOW_PRIVILEGED_PODS and the KEELSON_POD_* allow-lists: what TaskRun pods may have. */
  podPolicy?: PodPolicy;
  /** KEELSON_STEP_DENY_CIDRS: ranges pods never reach either (with the setting's podEgressDenyCidrs). */
  stepDenyCidrs?: readonly string[];
  log: (line: string) => void;
}

export interface PipelineCluster {
  /** The executor as the setting said at the last refresh (undefined: no cluster set). */
  current(): KubernetesChoice;
  /** Reads the setting again; rebuilds the executor when it or the cluster changed. */
  refresh(): Promise<void>;
}

export function pipelineCluster(deps: Deps, box: SecretBox, o: PipelineClusterOptions): PipelineCluster {
  const settings = createExecutorSettingStore(deps.db, deps.now);
  const gitops = createGitopsStores(deps.db, deps.now);
  const clusters = gitops.clusters;
  let choice: KubernetesChoice;
  let key = '';

  async function build(): Promise<{ key: string; make: () => KubernetesChoice }> {
    const stored = await settings.get();
    const s = effectiveExecutorSetting(stored?.value, o.envCluster);
    const name = s.cluster;
    if (!name) return { key: 'local', make: () => undefined };
    const row = await clusters.find(name);
    const k = JSON.stringify([s, row?.id, row?.sealedCredentials]);
    if (!row) {
      const where = s.clusterFrom === 'env' ? 'KEELSON_PIPELINE_CLUSTER' : 'Settings → Pipelines';
      const reason = `no registered cluster is named "${name}" (set by ${where}): register it under Settings → Clusters, or choose another one`;
      return { key: k, make: () => ({ available: false, cluster: name, reason }) };
    }
    const target = await clusterTargetFor({ gitops: { clusters, repositories: gitops.repositories } }, box, name);
    if (!target)
      return { key: '', make: () => ({ available: false, cluster: name, reason: 'the cluster was removed' }) };
    return {
      key: k,
      make: () => {
        // One connection per setting, opened at first use and again after a failed open.
        let conn: Promise<KubeConnection> | undefined;
        const open = () =>
          (conn ??= connect(target.credentials).catch((err: unknown) => {
            conn = undefined;
            throw err;
          }));
        const executor = createKubernetesExecutor({
          connect: open,
          images: o.images,
          imageConfig: o.imageConfig,
          podPolicy: o.podPolicy,
          startTimeoutMs: s.startTimeoutSeconds * 1000,
          keepFinishedPodsMs: s.keepFinishedPodsMinutes * 60_000,
          isolation: {
            denyCidrs: [...s.podEgressDenyCidrs, ...(o.stepDenyCidrs ?? [])],
            quota: s.podQuota,
            defaults: s.podDefaults,
          },
          onHookError: (e) => o.log(`[pipelines] kubernetes: ${e instanceof Error ? e.message : String(e)}`),
        });
        return {
          available: true,
          executor,
          cluster: name,
          namespaceTemplate: s.namespace,
          maxConcurrentTaskRuns: s.maxConcurrentTaskRuns,
          async sweepOrphanPods(isLive, namespaces) {
            // Every project's namespace, unless told which: no cluster-wide list of pods is needed.
            const projects = namespaces ? [] : await createAccessStores(deps.db, deps.now).projects.list();
            const all = namespaces ?? projects.flatMap((p) => namespaceFor(s.namespace, p.project.metadata.name) ?? []);
            const swept = await sweepOrphanPods(
              await open(),
              (taskRunName, pod) => isLive(taskRunName, pod.attempt),
              { namespaces: [...new Set(all)], keepFinishedPodsMs: s.keepFinishedPodsMinutes * 60_000 },
              (e) => o.log(`[pipelines] kubernetes sweep: ${e instanceof Error ? e.message : String(e)}`),
            );
            return swept.map(({ namespace, name }) => ({ namespace, name }));
          },
          async deleteRunClaims(run) {
            await deleteRunClaims(await open(), run.namespace, {
              project: run.project,
              name: run.pipelineRunName,
              uid: run.pipelineRunUid,
            });
          },
        };
      },
    };
  }

  return {
    current: () => choice,
    async refresh() {
      const next = await build();
      if (next.key === key && key !== '') return;
      key = next.key;
      choice = next.make();
      o.log(
        choice === undefined
          ? '[pipelines] executor: local (no cluster set for pipelines)'
          : choice.available
            ? `[pipelines] executor: kubernetes on cluster ${choice.cluster}, namespace ${choice.namespaceTemplate}, at most ${choice.maxConcurrentTaskRuns} TaskRuns at once`
            : `[pipelines] ERROR: executor: kubernetes, but ${choice.reason}`,
      );
    },
  };
}
