import { foundOrNotFound } from './found-or-not-found';
import type { PipelineDeps, PipelineRunRow } from './ports';

/** The stored PipelineRun of that name, or NOT_FOUND. */
export async function findPipelineRun(deps: PipelineDeps, name: string): Promise<PipelineRunRow> {
  return foundOrNotFound(
    await deps.stores.runs.findByName(name),
    `No PipelineRun named "${name}".`,
    'List runs with `keelson pipelinerun list`.',
  );
}
