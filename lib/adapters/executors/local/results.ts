import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Tekton's limit: results travel in the container's termination message, at most 4096 bytes. */
export const MAX_RESULT_BYTES = 4096;

export interface CollectedResults {
  results: Record<string, string>;
  /** Set when a result is over the limit; the TaskRun fails with it. */
  error?: string;
}

/** Reads each declared result verbatim (no trimming). Results the steps did not write are left out. */
export async function collectResults(resultsDir: string, names: readonly string[]): Promise<CollectedResults> {
  const results: Record<string, string> = {};
  const tooLarge: string[] = [];
  for (const name of names) {
    const file = path.join(resultsDir, name);
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) continue;
      size = s.size;
    } catch {
      continue;
    }
    if (size > MAX_RESULT_BYTES) {
      tooLarge.push(`"${name}" (${size} bytes)`);
      continue;
    }
    results[name] = await readFile(file, 'utf8');
  }
  if (tooLarge.length === 0) return { results };
  return { results, error: `result ${tooLarge.join(', ')} exceeds the ${MAX_RESULT_BYTES}-byte limit for a TaskRun result` };
}
