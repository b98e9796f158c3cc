import { ZFrozenRunSpec } from '@/lib/domain/pipeline/stored-schemas';
import type { Principal } from '../principal';
import { findPipelineRun } from './find-pipeline-run';
import type { RunControlDeps } from './ports';
import { storeStartedRun } from './store-started-run';

/**
 * Starts a new run with the same params and workspaces (the pipeline's newest version when it was a ref).
 * The run, its audit row and its first reconcile job commit together.
 */
export async function rerunPipelineRun(
  deps: RunControlDeps,
  principal: Principal,
  name: string,
): Promise<{ id: string; name: string }> {
  const row = await findPipelineRun(deps, name);
  const frozen = ZFrozenRunSpec.parse(row.spec);
  const spec = { ...frozen.run, status: undefined };
  if (!spec.pipelineRef) spec.pipelineSpec = frozen.pipelineSpec;
  const prefix = `${row.pipelineName ?? name.replace(/-[a-z0-9]{5}$/, '')}-run-`;
  const doc = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { generateName: prefix }, spec } as const;
  return deps.stores.transaction((tx) =>
    storeStartedRun(deps, tx, principal, doc, { action: 'pipelinerun.rerun', details: { from: name } }),
  );
}
