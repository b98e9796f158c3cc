/**
 * The executors a worker's engine hands claimed TaskRuns to: the local one always, the Kubernetes one while a
 * cluster is set for pipelines (Settings → Pipelines or KEELSON_PIPELINE_CLUSTER). The worker rebuilds the
 * Kubernetes side when the setting changes; the engine reads it afresh at every claim.
 */
import { namespaceFor } from '@/lib/domain/pipeline/executor-setting';
import type { ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import type { PodRef, TaskRunExecutor, TaskRunOutcome, TaskRunPlan } from '@/lib/domain/pipeline/task-run-plan';
import type { ClaimRoute, TaskRunRow } from './ports';

/** The Kubernetes executor on the cluster set for pipelines, with the setting's bounds. */
export interface KubernetesRuntime {
  available: true;
  executor: TaskRunExecutor;
  cluster: string;
  /** `{project}` stands for the TaskRun's project. */
  namespaceTemplate: string;
  maxConcurrentTaskRuns: number;
  /**
   * Deletes Keelson's pods whose TaskRun is not running (its worker died and the lease reaper failed it, or it ended
   * and its keep time is over), in these namespaces (default: every project's); returns what it deleted.
   */
  sweepOrphanPods?(
    isLive: (taskRunName: string, attempt: number | undefined) => Promise<boolean>,
    namespaces?: readonly string[],
  ): Promise<PodRef[]>;
  /** Deletes a PipelineRun's volumeClaimTemplate claims once it ended (the run as the database has it). */
  deleteRunClaims?(run: {
    namespace: string;
    project: string;
    pipelineRunName: string;
    pipelineRunUid: string;
  }): Promise<void>;
}

/** A cluster is set but cannot be used (not registered, credentials refused): TaskRuns for it fail with `reason`. */
export interface KubernetesUnavailable {
  available: false;
  cluster: string | null;
  reason: string;
}

/** What the setting says now: undefined while no cluster is set (the local executor is the default). */
export type KubernetesChoice = KubernetesRuntime | KubernetesUnavailable | undefined;

/** How a claim hands out TaskRuns under the setting in force (see ClaimRoute). */
export function claimRoute(k8s: KubernetesChoice, maxLocal?: number): ClaimRoute {
  return {
    defaultExecutor: k8s ? 'kubernetes' : 'local',
    ...(maxLocal === undefined ? {} : { maxLocal }),
    ...(k8s?.available ? { kubernetes: { max: k8s.maxConcurrentTaskRuns } } : {}),
  };
}

export const defaultExecutorOf = (k8s: KubernetesChoice): ExecutorKind => (k8s ? 'kubernetes' : 'local');

const NO_CLUSTER =
  'This TaskRun asks for the Kubernetes executor (keelson.dev/executor: kubernetes), but no cluster is set for pipelines. Choose a registered cluster in Settings → Pipelines (or set KEELSON_PIPELINE_CLUSTER on the workers), or annotate the run keelson.dev/executor: local.';

/** A TaskRun that never started: every step skipped, with the reason. */
export function notStarted(plan: Pick<TaskRunPlan, 'steps'>, message: string): TaskRunOutcome {
  return {
    status: 'Failed',
    reason: 'PodCreationFailed',
    message,
    steps: plan.steps.map((s) => ({
      name: s.name,
      exitCode: null,
      startedAt: null,
      finishedAt: null,
      reason: 'Skipped',
    })),
    results: {},
    sandbox: 'kubernetes',
  };
}

export type ExecutorFor =
  | { kind: 'local'; executor: TaskRunExecutor }
  | {
      kind: 'kubernetes';
      executor: TaskRunExecutor;
      target: {
        project: string;
        namespace: string;
        pipelineRunName?: string;
        pipelineRunUid?: string;
        attempt: number;
      };
    }
  | { kind: 'kubernetes'; failed: string };

/**
 * The executor a claimed TaskRun runs on (its `executor` column), with where its pod goes, or why it cannot run.
 * `pipelineRunName` and `pipelineRunUid` are its PipelineRun's as the database has them (never a label of the plan,
 * which a TaskRun's own labels may override): they say which run's claims are whose.
 */
export function executorFor(
  row: Pick<TaskRunRow, 'executor' | 'project' | 'attempt'>,
  local: TaskRunExecutor,
  k8s: KubernetesChoice,
  pipelineRunName: string | undefined,
  pipelineRunUid?: string,
): ExecutorFor {
  if (row.executor !== 'kubernetes') return { kind: 'local', executor: local };
  if (!k8s) return { kind: 'kubernetes', failed: NO_CLUSTER };
  if (!k8s.available)
    return { kind: 'kubernetes', failed: `The cluster set for pipelines cannot be used: ${k8s.reason}` };
  const namespace = namespaceFor(k8s.namespaceTemplate, row.project);
  if (!namespace)
    return {
      kind: 'kubernetes',
      failed: `The namespace template "${k8s.namespaceTemplate}" gives no DNS-1123 label for project "${row.project}" (at most 63 lower-case letters, digits and '-'), or a kube-* namespace, which is Kubernetes' own: change it in Settings → Pipelines.`,
    };
  return {
    kind: 'kubernetes',
    executor: k8s.executor,
    target: { project: row.project, namespace, pipelineRunName, pipelineRunUid, attempt: row.attempt },
  };
}
