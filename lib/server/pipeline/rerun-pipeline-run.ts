import { ZFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { Principal } from '../principal';
import { findAuthorizedRun } from './find-pipeline-run';
import { generatedName } from './generated-name';
import { insertRerunFromFailed } from './insert-rerun-from-failed';
import { authorizeRunOf, gateOf, type AuthorizedPipelineDeps } from './pipeline-access';
import { planRerunFromFailed } from './plan-rerun-from-failed';
import { storeStartedRun } from './store-started-run';

/**
 * Starts a new run with the same params and workspaces (the pipeline's newest version when it was a ref), in
 * the same project: the principal must be allowed to get the old run and create the new one. The run, its
 * audit row and its first reconcile job commit together. With `fromFailed`, the new run keeps the old run's
 * frozen specs and reuses the results of the tasks that succeeded (plan-rerun-from-failed.ts).
 */
export async function rerunPipelineRun(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  options: { fromFailed?: boolean } = {},
): Promise<{ id: string; name: string }> {
  const row = await findAuthorizedRun(deps, principal, name, 'get');
  const frozen = ZFrozenRunSpec.parse(row.spec);
  const spec = { ...frozen.run, status: undefined };
  if (!spec.pipelineRef) spec.pipelineSpec = frozen.pipelineSpec;
  const runName = generatedName(`${row.pipelineName ?? name.replace(/-[a-z0-9]{5}$/, '')}-run-`);
  const of = spec.pipelineRef && row.pipelineName ? { stored: row.pipelineName } : 'inline';
  await authorizeRunOf(gateOf(deps.access, principal), row.project, runName, of);
  const metadata = { name: runName, namespace: row.project };
  const doc = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata, spec } as const;
  const fromFailed = options.fromFailed === true;
  const audit = { action: 'pipelinerun.rerun', details: { from: name, fromFailed } };
  if (!fromFailed) return deps.stores.transaction((tx) => storeStartedRun(deps, tx, principal, doc, audit));
  const next = await planRerunFromFailed(deps.stores, row, frozen);
  return deps.stores.transaction((tx) =>
    storeStartedRun(deps, tx, principal, doc, audit, (actor, now) =>
      insertRerunFromFailed(tx, doc, row, next, actor, now),
    ),
  );
}
