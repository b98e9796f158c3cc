import { AppError } from '@/lib/errors';
import type { PipelineDeps, PipelineRunRow } from './ports';

/** The stored PipelineRun of that name, or NOT_FOUND. */
export async function findPipelineRun(deps: PipelineDeps, name: string): Promise<PipelineRunRow> {
  const row = await deps.stores.runs.findByName(name);
  if (!row)
    throw new AppError('NOT_FOUND', `No PipelineRun named "${name}".`, {
      hint: 'List runs with `keelson pipelinerun list`.',
    });
  return row;
}
