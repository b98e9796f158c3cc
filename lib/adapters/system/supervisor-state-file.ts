import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CHILD_STATES, type SupervisorState } from '@/lib/domain/system/supervisor-state';

const ZChildStatus = z.object({
  state: z.enum(CHILD_STATES),
  pid: z.number().int().positive().optional(),
  restarts: z.number().int().min(0),
});

const ZSupervisorState = z.object({
  pid: z.number().int().positive(),
  updatedAt: z.string(),
  children: z.object({ web: ZChildStatus, workers: ZChildStatus, postgres: ZChildStatus }).partial(),
});

/**
 * Writes the state whole or not at all (a temporary file renamed over the old one), so a reader never sees half a
 * file. Calls are chained: a slow write is never overtaken by an older state; a failed one is reported and skipped.
 */
export function supervisorStateWriter(
  file: string,
  onError: (err: Error) => void,
): (state: SupervisorState) => Promise<void> {
  let chain = Promise.resolve();
  return (state) => {
    const text = `${JSON.stringify(state, null, 2)}\n`;
    chain = chain
      .then(async () => {
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, text, { mode: 0o600 });
        await rename(tmp, file);
      })
      .catch(onError);
    return chain;
  };
}

/** The state the supervisor last wrote; undefined without a file (a web server started on its own) or a bad one. */
export async function readSupervisorState(file: string): Promise<SupervisorState | undefined> {
  try {
    const parsed = ZSupervisorState.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
