import { concurrencyIssues } from '@/lib/domain/pipeline/concurrency';
import type { TResource } from '@/lib/domain/pipeline/spec-schemas';
import type { FieldIssue } from '@/lib/errors';

/**
 * The `keelson.dev/concurrency*` annotations of a file's Pipelines and PipelineRuns, checked at apply: a bad limit,
 * strategy or key is refused with its path (`documents[i].metadata.annotations["keelson.dev/concurrency"]`) and
 * nothing is stored. A key may name the pipeline's params (a PipelineRun of a stored Pipeline is checked against
 * that Pipeline when the run is created).
 */
export function concurrencyAnnotationIssues(resources: readonly TResource[]): FieldIssue[] {
  return resources.flatMap((r, doc) => {
    if (r.kind !== 'Pipeline' && r.kind !== 'PipelineRun') return [];
    const spec = r.kind === 'Pipeline' ? r.spec : r.spec.pipelineSpec;
    const params =
      spec && new Set((spec.params ?? []).filter((p) => (p.type ?? 'string') === 'string').map((p) => p.name));
    return concurrencyIssues(r.metadata.annotations, params).map((i) => ({
      path: `documents[${doc}].${i.path}`,
      message: `${i.message} (${i.hint})`,
    }));
  });
}
