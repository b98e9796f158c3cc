import { ZStoredLogLine, type TStoredLogLine } from '@/lib/domain/pipeline/stored-schemas';
import type { PipelineDeps } from './ports';

const ZStoredLogLines = ZStoredLogLine.array();

export interface StoredLogChunk {
  id: number;
  step: string;
  lines: TStoredLogLine[];
}

/** Chunks after `afterId`, oldest first: the full log from 0, or what is new since the last read. */
export async function readLogs(
  deps: PipelineDeps,
  taskRunId: string,
  afterId = 0,
  limit = 500,
): Promise<StoredLogChunk[]> {
  const rows = await deps.stores.taskRuns.logChunks(taskRunId, afterId, limit);
  return rows.map((r) => ({ ...r, lines: ZStoredLogLines.parse(r.lines) }));
}
