import { and, asc, eq, gt } from 'drizzle-orm';
import { logChunks } from '@/lib/adapters/db/schema';
import { ZStoredLogLine, type TStoredLogLine } from '@/lib/domain/pipeline/stored-schemas';
import type { Deps } from '../deps';

const ZStoredLogLines = ZStoredLogLine.array();

export interface StoredLogChunk {
  id: number;
  step: string;
  lines: TStoredLogLine[];
}

/** Chunks after `afterId`, oldest first: the full log from 0, or what is new since the last read. */
export async function readLogs(deps: Deps, taskRunId: string, afterId = 0, limit = 500): Promise<StoredLogChunk[]> {
  const rows = await deps.db
    .select({ id: logChunks.id, step: logChunks.step, lines: logChunks.lines })
    .from(logChunks)
    .where(and(eq(logChunks.taskRunId, taskRunId), gt(logChunks.id, afterId)))
    .orderBy(asc(logChunks.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, lines: ZStoredLogLines.parse(r.lines) }));
}
