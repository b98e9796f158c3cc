import { eq } from 'drizzle-orm';
import { pipelineRuns, type PipelineRunRow } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import type { Deps } from '../deps';

/** The stored PipelineRun of that name, or NOT_FOUND. */
export async function findPipelineRun(deps: Deps, name: string): Promise<PipelineRunRow> {
  const [row] = await deps.db.select().from(pipelineRuns).where(eq(pipelineRuns.name, name));
  if (!row)
    throw new AppError('NOT_FOUND', `No PipelineRun named "${name}".`, {
      hint: 'List runs with `keelson pipelinerun list`.',
    });
  return row;
}
