import { executorAnnotationIssue, requestedExecutor, type ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import { AppError } from '@/lib/errors';

const HINT =
  'Set keelson.dev/executor to "local" or "kubernetes", or remove it to follow Settings → Pipelines; nothing was stored.';

/** `documents[2].spec` → `documents[2].metadata.annotations` (the path of the spec's document). */
const metadataPath = (specPath: string) =>
  `${specPath.replace(/\.?spec$/, '')}${specPath === 'spec' ? '' : '.'}metadata.annotations`.replace(/^\./, '');

/** Refuses a bad `keelson.dev/executor` value on any of the documents, naming where it is. */
function refuseBad(layers: { annotations: Record<string, string> | undefined; path: string }[]): void {
  const issues = layers.flatMap((l) => executorAnnotationIssue(l.annotations, l.path) ?? []);
  if (issues.length > 0)
    throw new AppError('BAD_REQUEST', `${issues[0].path}: ${issues[0].message}.`, { issues, hint: HINT });
}

/** The executor a PipelineRun asks for: its own `keelson.dev/executor` annotation, else its Pipeline's. */
export function runExecutor(
  doc: { metadata: { annotations?: Record<string, string> } },
  docPath: string,
  pipelineName: string | null,
  pipelineAnnotations: Record<string, string> | undefined,
): ExecutorKind | undefined {
  refuseBad([
    { annotations: doc.metadata.annotations, path: metadataPath(docPath) },
    { annotations: pipelineAnnotations, path: `pipeline(${pipelineName ?? ''}).metadata.annotations` },
  ]);
  return requestedExecutor(doc.metadata.annotations, pipelineAnnotations);
}

/** The executor a standalone TaskRun asks for: its own annotation, else its Task's. */
export function taskRunExecutor(
  doc: { metadata: { annotations?: Record<string, string> } },
  docPath: string,
  taskName: string | undefined,
  taskAnnotations: Record<string, string> | undefined,
): ExecutorKind | undefined {
  refuseBad([
    { annotations: doc.metadata.annotations, path: metadataPath(docPath) },
    { annotations: taskAnnotations, path: `task(${taskName ?? ''}).metadata.annotations` },
  ]);
  return requestedExecutor(doc.metadata.annotations, taskAnnotations);
}
