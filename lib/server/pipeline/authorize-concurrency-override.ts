import { ConcurrencyAnnotation } from '@/lib/domain/pipeline/concurrency';
import type { TResource } from '@/lib/domain/pipeline/spec-schemas';
import type { Principal } from '../principal';
import { objectOf, type AuthorizedPipelineDeps } from './pipeline-access';

const ANNOTATIONS: readonly string[] = Object.values(ConcurrencyAnnotation);

/**
 * A Pipeline's `keelson.dev/concurrency*` annotations are its runs' policy (how many at once, per which key, queue
 * or cancel the older ones), and the newest run's settings apply to its whole group. So a PipelineRun of a stored
 * Pipeline may set any of them (its own override each) only if the caller may change that policy:
 * `pipelines, update, <project>/<pipeline>`; else 403 and nothing is stored. A run of an inline pipelineSpec has
 * no Pipeline's policy to escape (it already needs `pipelineruns, create, <project>/*`, any run of the project),
 * but its cancel-in-progress cancels the other inline runs of its group, whoever started them: that also needs
 * `pipelineruns, cancel, <project>/*`.
 */
export async function authorizeConcurrencyOverride(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  r: TResource,
  project: string,
): Promise<void> {
  if (r.kind !== 'PipelineRun') return;
  const annotations = r.metadata.annotations ?? {};
  if (!Object.keys(annotations).some((a) => ANNOTATIONS.includes(a))) return;
  const ref = r.spec.pipelineRef?.name;
  if (ref) return deps.access.authorize(principal, 'pipelines', 'update', objectOf(project, ref));
  if (annotations[ConcurrencyAnnotation.strategy] === 'cancel-in-progress')
    await deps.access.authorize(principal, 'pipelineruns', 'cancel', objectOf(project, '*'));
}
