/**
 * One TaskRun attempt as one pod: namespace, claims, image commands, the run Secret, the pod, then its supervision
 * (supervise-run.ts). Never throws for what happens on the cluster: every ending is an outcome.
 */
import type {
  ExecutionHooks,
  TaskRunOutcome,
  TaskRunPlan,
  TaskRunTarget,
} from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { LogBatcher } from '../shared/log-batcher';
import { createMasker } from '../shared/mask-secrets';
import { ClaimUnavailable, ensureBoundClaims } from './bound-claims';
import { claimNode } from './claim-node';
import { ensureRunClaims } from './claims';
import { finishPod, type RunContext } from './finish-pod';
import { resolveImageCommands } from './image-commands';
import {
  ATTEMPT_ANNOTATION,
  labelValue,
  MANAGED_BY,
  MANAGED_BY_KEELSON,
  PROJECT_LABEL,
  TASK_RUN_ANNOTATION,
  TASK_RUN_LABEL,
} from './labels';
import { runSecretName, taskRunPodName } from './names';
import { NamespaceNotOwned, type RunNamespaces } from './namespace';
import type { KubernetesExecutorOptions } from './options';
import { cancelledMessage, failedBeforePod, timeoutMessage, type OutcomeReason } from './outcome';
import { createPod } from './pod-api';
import type { BuiltPod, PodFunctions } from './pod-functions';
import { createRunSecret, ownRunSecret, RunSecretTakenError } from './run-secret';
import { superviseRun } from './supervise-run';

export interface RunDeps {
  options: KubernetesExecutorOptions;
  pods: PodFunctions;
  namespaces: RunNamespaces;
  startTimeoutMs: number;
  keepFinishedPodsMs: number;
  flushIntervalMs: number;
  reportError(error: unknown): void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function runTaskRunPod(
  deps: RunDeps,
  plan: TaskRunPlan,
  hooks: ExecutionHooks,
  target: TaskRunTarget | undefined,
): Promise<TaskRunOutcome> {
  const deadline = plan.timeoutMs && plan.timeoutMs > 0 ? Date.now() + plan.timeoutMs : undefined;
  const mask = createMasker(plan.secretsToMask);
  const fail = (reason: OutcomeReason, text: string) => failedBeforePod(plan, reason, mask(text));
  const stoppedEarly = () =>
    hooks.signal?.aborted
      ? fail('TaskRunCancelled', cancelledMessage(plan))
      : deadline !== undefined && Date.now() >= deadline
        ? fail('TaskRunTimeout', timeoutMessage(plan))
        : undefined;
  if (!target) return fail('PodCreationFailed', 'the Kubernetes executor was given no namespace to run the pod in');
  const early = stoppedEarly();
  if (early) return early;

  const podName = taskRunPodName(plan.taskRunName, target.attempt);
  const secretName = runSecretName(podName);
  const namespace = target.namespace;
  let conn: KubeConnection;
  try {
    conn = await deps.options.connect();
  } catch (error) {
    return fail('PodCreationFailed', `cannot reach the pipeline cluster: ${messageOf(error)}`);
  }

  // Preparation: what fails here fails the TaskRun before any pod exists (upstream's PodCreationFailed).
  let built: BuiltPod;
  try {
    await deps.namespaces.ensure(conn, namespace, target.project);
    const run =
      target.pipelineRunName && target.pipelineRunUid
        ? { project: target.project, name: target.pipelineRunName, uid: target.pipelineRunUid }
        : undefined;
    await ensureRunClaims(conn, namespace, plan, run);
    await ensureBoundClaims(conn, namespace, plan, target.project);
    const [imageCommands, nodeName] = await Promise.all([
      resolveImageCommands(conn, namespace, plan, deps.options.imageConfig, hooks.signal),
      claimNode(conn, namespace, plan),
    ]);
    built = deps.pods.build({
      ...deps.options.podPolicy,
      nodeName,
      scriptsVia: deps.options.scriptsVia ?? 'secret',
      secrets: target.secrets,
      plan,
      podName,
      namespace,
      images: deps.options.images,
      imageCommands,
      runSecretName: secretName,
    });
  } catch (error) {
    if (error instanceof NamespaceNotOwned || error instanceof ClaimUnavailable)
      return fail('PodCreationFailed', error.message);
    return (
      stoppedEarly() ?? fail('PodCreationFailed', `failed to create TaskRun pod "${podName}": ${messageOf(error)}`)
    );
  }
  if (built.problems.length)
    return fail('PodCreationFailed', `failed to create TaskRun pod "${podName}": ${built.problems.join('; ')}`);

  const ownLabels = {
    [MANAGED_BY]: MANAGED_BY_KEELSON,
    [TASK_RUN_LABEL]: labelValue(plan.taskRunName),
    [PROJECT_LABEL]: labelValue(target.project),
  };
  const pod = {
    ...built.pod,
    metadata: {
      ...built.pod.metadata,
      name: podName,
      namespace,
      labels: { ...built.pod.metadata.labels, ...ownLabels },
      annotations: {
        ...built.pod.metadata.annotations,
        [TASK_RUN_ANNOTATION]: plan.taskRunName,
        [ATTEMPT_ANNOTATION]: String(target.attempt),
      },
    },
  };
  const hasSecret = Object.keys(built.secret.stringData).length + Object.keys(built.secret.data ?? {}).length > 0;
  const logs = new LogBatcher((lines) => hooks.onLogs(lines), deps.flushIntervalMs, deps.reportError);
  // The Secret and pod are this attempt's only once it made them: nothing of another TaskRun's is ever deleted.
  const ctx: RunContext = { conn, namespace, podName, logs, mask };
  let podCreated = false;
  try {
    if (hasSecret) {
      const made = await createRunSecret(conn, namespace, { ...built.secret, name: secretName }, ownLabels, {
        [TASK_RUN_ANNOTATION]: plan.taskRunName,
        [ATTEMPT_ANNOTATION]: String(target.attempt),
      }).catch((error: unknown) => {
        if (error instanceof RunSecretTakenError) return error;
        throw error;
      });
      if (made instanceof RunSecretTakenError)
        return fail('PodCreationFailed', `failed to create TaskRun pod "${podName}": ${made.message}`);
      ctx.secretName = secretName;
      ctx.secretUid = made;
    }
    const created = await createPod(conn, pod, deps.startTimeoutMs, hooks.signal);
    if (!created.ok) {
      await finishPod(deps, ctx, { podCreated: false });
      return stoppedEarly() ?? fail(created.reason, created.message);
    }
    podCreated = true;
    const uid = created.pod.metadata?.uid;
    ctx.podUid = uid;
    if (hasSecret && uid)
      await ownRunSecret(conn, namespace, secretName, { name: podName, uid }).catch(deps.reportError);
    try {
      await hooks.onPodCreated?.({ namespace, name: podName });
    } catch (error) {
      deps.reportError(error);
    }
    return await superviseRun(deps, ctx, plan, hooks, created.pod, deadline);
  } catch (error) {
    // The cluster failed us mid-way (API server gone, a refused call): nothing is left behind if it can be helped.
    await finishPod(deps, ctx, { podCreated, stop: true }).catch(deps.reportError);
    await logs.drain();
    return stoppedEarly() ?? fail('PodCreationFailed', `TaskRun pod "${podName}" failed: ${messageOf(error)}`);
  }
}
