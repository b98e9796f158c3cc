import { namesBelow, readFileSafely } from './safe-path';

/** Tekton's limit: results travel in the container's termination message, at most 4096 bytes. */
export const MAX_RESULT_BYTES = 4096;

export interface CollectedResults {
  results: Record<string, string>;
  /** Set when a result is over the limit; the TaskRun fails with it. */
  error?: string;
}

/**
 * Reads each declared result verbatim (no trimming). Results the steps did not write are left out,
 * and so is a result that is a symlink or not a regular file, or that lies behind one: steps write
 * these folders, and the worker must not read a host file a step pointed it at. `root` is the
 * trusted folder the walk starts from (default `resultsDir` itself).
 */
export async function collectResults(
  resultsDir: string,
  names: readonly string[],
  root = resultsDir,
): Promise<CollectedResults> {
  const results: Record<string, string> = {};
  const tooLarge: string[] = [];
  const folders = namesBelow(root, resultsDir);
  if (!folders) return { results, error: `results folder ${resultsDir} lies outside ${root}` };
  for (const name of names) {
    const read = readFileSafely(root, folders, name, MAX_RESULT_BYTES);
    if (read.kind === 'too-large') tooLarge.push(`"${name}" (${read.size} bytes)`);
    else if (read.kind === 'file') results[name] = read.text;
  }
  if (tooLarge.length === 0) return { results };
  return {
    results,
    error: `result ${tooLarge.join(', ')} exceeds the ${MAX_RESULT_BYTES}-byte limit for a TaskRun result`,
  };
}
