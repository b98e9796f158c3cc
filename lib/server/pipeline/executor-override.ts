/**
 * `allowExecutorOverride` (Settings → Pipelines, security review F5): when false, a PipelineRun, Pipeline, TaskRun or
 * Task whose `keelson.dev/executor` annotation names another executor than the installation's is refused when it is
 * created, so a run cannot move itself off the cluster the admin chose (or onto the worker hosts).
 */
import { EXECUTOR_ANNOTATION, EXECUTOR_KINDS, type ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import { effectiveExecutorSetting } from '@/lib/domain/pipeline/executor-setting';
import { AppError, type FieldIssue } from '@/lib/errors';
import type { DefinitionStore } from './document-store-ports';
import type { ExecutorSettingStore } from './executor-settings-ports';
import { projectOfDocument } from './pipeline-access';
import { latestInProject } from './stored-definitions';

export interface ExecutorPolicy {
  /** The installation's executor: kubernetes while a cluster is set for pipelines (setting or env). */
  executor: ExecutorKind;
  allowOverride: boolean;
}

/** The policy in force, read from the stored setting (KEELSON_PIPELINE_CLUSTER wins for the cluster). */
export function executorPolicyFrom(store: ExecutorSettingStore, envCluster: string | undefined) {
  return async (): Promise<ExecutorPolicy> => {
    const s = effectiveExecutorSetting((await store.get())?.value, envCluster);
    return { executor: s.cluster ? 'kubernetes' : 'local', allowOverride: s.allowExecutorOverride };
  };
}

const ANNOTATED_KINDS = ['PipelineRun', 'Pipeline', 'TaskRun', 'Task'];

interface Doc {
  kind: string;
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

const askedOf = (d: { metadata?: { annotations?: Record<string, string> } } | undefined) =>
  d?.metadata?.annotations?.[EXECUTOR_ANNOTATION];
const isOther = (asked: string | undefined, policy: ExecutorPolicy): asked is ExecutorKind =>
  asked !== undefined && asked !== policy.executor && (EXECUTOR_KINDS as readonly string[]).includes(asked);
const refused = (asked: string, policy: ExecutorPolicy) =>
  `asks for the ${asked} executor, but this installation runs every TaskRun on the ${policy.executor} executor and does not let runs choose another (allowExecutorOverride is off in Settings → Pipelines)`;

/** The documents (at `documents[i]`) that ask for another executor than the policy allows, with how to fix it. */
export function executorOverrideIssues(docs: readonly Doc[], policy: ExecutorPolicy | undefined): FieldIssue[] {
  if (!policy || policy.allowOverride) return [];
  return docs.flatMap((d, i) => {
    const asked = askedOf(d);
    // A bad value has its own message (run-executor.ts).
    if (!ANNOTATED_KINDS.includes(d.kind) || !isOther(asked, policy)) return [];
    return [
      {
        path: `documents[${i}].metadata.annotations["${EXECUTOR_ANNOTATION}"]`,
        message: `${refused(asked, policy)}: remove the annotation, or ask an admin to allow overrides`,
      },
    ];
  });
}

/**
 * Runs (at `documents[i]`) without an annotation of their own whose stored Pipeline or Task (stored while overrides
 * were allowed) asks for another executor.
 */
export async function referencedOverrideIssues(
  definitions: Pick<DefinitionStore, 'latest'>,
  docs: readonly Doc[],
  policy: ExecutorPolicy | undefined,
): Promise<FieldIssue[]> {
  if (!policy || policy.allowOverride) return [];
  const checks = docs.map(async (d, i): Promise<FieldIssue[]> => {
    if (askedOf(d) !== undefined) return [];
    const spec = d.spec as { pipelineRef?: { name?: string }; taskRef?: { name?: string } } | undefined;
    const [kind, field, name] =
      d.kind === 'PipelineRun'
        ? (['Pipeline', 'pipelineRef', spec?.pipelineRef?.name] as const)
        : d.kind === 'TaskRun'
          ? (['Task', 'taskRef', spec?.taskRef?.name] as const)
          : [];
    if (!kind || !name) return [];
    const found = (await latestInProject(definitions, kind, [name], projectOfDocument(d))).found.get(name);
    const asked = askedOf(found?.document as Doc | undefined);
    if (!isOther(asked, policy)) return [];
    return [
      {
        path: `documents[${i}].spec.${field}.name`,
        message: `${kind} "${name}" ${refused(asked, policy)}: remove its ${EXECUTOR_ANNOTATION} annotation, or annotate this run ${EXECUTOR_ANNOTATION}: ${policy.executor}`,
      },
    ];
  });
  return (await Promise.all(checks)).flat();
}

/** Starting a stored Pipeline (the UI, a trigger): refused when it asks for another executor than allowed. */
export function refuseStoredOverride(
  pipeline: { name: string; document: unknown } | undefined,
  policy: ExecutorPolicy | undefined,
): void {
  if (!pipeline || !policy || policy.allowOverride) return;
  const asked = askedOf(pipeline.document as Doc);
  if (!isOther(asked, policy)) return;
  const path = `pipeline(${pipeline.name}).metadata.annotations["${EXECUTOR_ANNOTATION}"]`;
  const message = refused(asked, policy);
  throw new AppError('BAD_REQUEST', `${path}: ${message}.`, {
    issues: [{ path, message }],
    hint: `Remove the Pipeline's ${EXECUTOR_ANNOTATION} annotation (apply it again), or ask an admin to allow overrides in Settings → Pipelines; nothing was started.`,
  });
}
