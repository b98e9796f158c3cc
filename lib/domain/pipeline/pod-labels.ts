import type { TTaskRunMetadata } from './run-schemas';

/**
 * The labels and annotations of a TaskRun's pod, as upstream Tekton propagates them:
 * - a PipelineRun's TaskRun (pipelinerun.go combineTaskRunAndTaskSpecLabels/Annotations): the taskRunSpecs entry's
 *   metadata, over the PipelineRun's own (its Pipeline's under them) with `tekton.dev/pipeline`,
 *   `tekton.dev/pipelineRun`, `tekton.dev/pipelineRunUID`, `tekton.dev/pipelineTask` and `tekton.dev/memberOf`, over
 *   the embedded taskSpec's metadata;
 * - then the TaskRun reconciler adds the referenced Task's labels and annotations where the TaskRun has none, and
 *   `tekton.dev/task` for a taskRef;
 * - the pod (pod.go makeLabels) gets the TaskRun's labels with `tekton.dev/taskRun` and `tekton.dev/taskRunUID`
 *   set over them, and its annotations less kubectl's last-applied-configuration.
 * `app.kubernetes.io/managed-by` is `keelson` (upstream's default is `tekton-pipelines`, which a TaskRun label may
 * replace; here it always names Keelson, the pods' owner of record, so the executor and its reaper find them).
 */
export interface PodMetadataFacts {
  taskRunName: string;
  taskRunUid: string;
  /** A taskRef's Task name (no label for an embedded taskSpec, as upstream). */
  taskRef?: string;
  /** The referenced Task's own labels and annotations. */
  task?: TTaskRunMetadata;
  /** A standalone TaskRun's own labels and annotations. */
  taskRun?: TTaskRunMetadata;
  pipelineRun?: {
    name: string;
    uid: string;
    /** The Pipeline's name; the PipelineRun's own for an embedded pipelineSpec, as upstream. */
    pipeline: string;
    pipelineTask: string;
    finally: boolean;
    /** The PipelineRun's labels and annotations (its Pipeline's under them). */
    metadata?: TTaskRunMetadata;
    /** Its `taskRunSpecs[].metadata` for this task. */
    taskRunSpec?: TTaskRunMetadata;
    /** An embedded taskSpec's metadata. */
    embedded?: TTaskRunMetadata;
  };
}

export const MANAGED_BY = 'app.kubernetes.io/managed-by';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Adds the entries of `more` that `into` does not have yet (upstream's addMetadataByPrecedence). */
function addByPrecedence(into: Record<string, string>, more: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(more ?? {})) if (!(k in into)) into[k] = v;
}

export function podMetadata(f: PodMetadataFacts): {
  labels: Record<string, string>;
  annotations: Record<string, string>;
} {
  const labels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  const pr = f.pipelineRun;
  if (pr) {
    addByPrecedence(labels, pr.taskRunSpec?.labels);
    addByPrecedence(labels, {
      ...pr.metadata?.labels,
      'tekton.dev/pipeline': pr.pipeline,
      'tekton.dev/pipelineRun': pr.name,
      'tekton.dev/pipelineRunUID': pr.uid,
      'tekton.dev/pipelineTask': pr.pipelineTask,
      'tekton.dev/memberOf': pr.finally ? 'finally' : 'tasks',
    });
    addByPrecedence(labels, pr.embedded?.labels);
    addByPrecedence(annotations, pr.taskRunSpec?.annotations);
    addByPrecedence(annotations, pr.metadata?.annotations);
    addByPrecedence(annotations, pr.embedded?.annotations);
  } else {
    addByPrecedence(labels, f.taskRun?.labels);
    addByPrecedence(annotations, f.taskRun?.annotations);
  }
  addByPrecedence(labels, f.task?.labels);
  addByPrecedence(annotations, f.task?.annotations);
  if (f.taskRef) labels['tekton.dev/task'] = f.taskRef;
  labels['tekton.dev/taskRun'] = f.taskRunName;
  labels['tekton.dev/taskRunUID'] = f.taskRunUid;
  labels[MANAGED_BY] = 'keelson';
  delete annotations[LAST_APPLIED];
  return { labels, annotations };
}

type Meta = { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined;

/**
 * A run's own labels and annotations with its definition's (Pipeline's, or Task's) under them, as upstream's
 * reconcilers propagate them; undefined when neither has any.
 */
export function propagatedMetadata(own: Meta, definition: Meta): TTaskRunMetadata | undefined {
  const labels = { ...definition?.labels, ...own?.labels };
  const annotations = { ...definition?.annotations, ...own?.annotations };
  delete annotations[LAST_APPLIED];
  const out: TTaskRunMetadata = {
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  return Object.keys(out).length > 0 ? out : undefined;
}
