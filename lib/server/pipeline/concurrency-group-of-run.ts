import {
  concurrencyGroup,
  concurrencyIssues,
  concurrencySettings,
  type ConcurrencyGroup,
  type ConcurrencySettings,
} from '@/lib/domain/pipeline/concurrency';
import { applyParamDefaults } from '@/lib/domain/pipeline/params';
import type { TMetadata, TPipelineRun, TPipelineSpec } from '@/lib/domain/pipeline/spec-schemas';
import { AppError } from '@/lib/errors';

/**
 * A PipelineRun of an inline pipelineSpec has no Pipeline name: its group is named with this, which no Pipeline can
 * be named (names are lowercase letters, digits, '-' and '.'), so an inline run never joins a stored Pipeline's group
 * (one named "inline") to set its limit or strategy.
 */
export const INLINE_PIPELINE = '(inline)';

/**
 * The concurrency group a new run joins (the Pipeline's `keelson.dev/concurrency*` annotations, the run's own
 * over them), or undefined when it has none. A bad annotation on the run, or a key that does not resolve for
 * it, is a 400 with the annotation's path; nothing is stored.
 */
export function concurrencyGroupOfRun(
  doc: TPipelineRun,
  pipeline: { name: string | null; metadata?: TMetadata; spec: TPipelineSpec },
  run: { name: string; project: string },
  docPath: string,
): { settings: ConcurrencySettings; group: ConcurrencyGroup } | undefined {
  const root = docPath.replace(/\.spec$/, '');
  const refuse = (issue: { path: string; message: string; hint: string }): never => {
    const path = `${root === 'spec' ? '' : `${root}.`}${issue.path}`;
    throw new AppError('BAD_REQUEST', `${path}: ${issue.message}.`, {
      issues: [{ path, message: issue.message }],
      hint: issue.hint,
    });
  };
  const declared = new Set(
    (pipeline.spec.params ?? []).filter((p) => (p.type ?? 'string') === 'string').map((p) => p.name),
  );
  const own = concurrencyIssues(doc.metadata.annotations, declared);
  if (own.length > 0) refuse(own[0]);
  const settings = concurrencySettings(pipeline.metadata?.annotations, doc.metadata.annotations);
  // A run held by its own spec.status (Tekton's PipelineRunPending) never starts here: it takes no slot of a group.
  if (!settings || doc.spec.status === 'PipelineRunPending') return undefined;
  const provided = Object.fromEntries((doc.spec.params ?? []).map((p) => [p.name, p.value]));
  const found = concurrencyGroup(settings, {
    project: run.project,
    pipeline: pipeline.name ?? INLINE_PIPELINE,
    name: run.name,
    params: applyParamDefaults(pipeline.spec.params, provided),
  });
  if (!found.ok) return refuse(found.issue);
  return { settings, group: found.group };
}
