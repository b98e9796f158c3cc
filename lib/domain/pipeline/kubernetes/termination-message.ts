/**
 * A step container's termination message as Tekton's entrypoint writes it (pkg/termination, pkg/result):
 * a JSON array of `{key, value, type}`. Types: 1 task result, 3 Tekton's own (StartedAt, ExitCode, Reason),
 * 4 step result, 5/6 artifacts; older writers spell them as strings.
 */

export const RESULT_TYPE = {
  taskRun: 1,
  internal: 3,
  step: 4,
  stepArtifacts: 5,
  taskRunArtifacts: 6,
  unknown: 10,
} as const;

const TYPE_NAMES: Record<string, number> = {
  TaskRunResult: RESULT_TYPE.taskRun,
  InternalTektonResult: RESULT_TYPE.internal,
  StepResult: RESULT_TYPE.step,
  StepArtifactsResult: RESULT_TYPE.stepArtifacts,
  TaskRunArtifactsResult: RESULT_TYPE.taskRunArtifacts,
};

export interface RunResult {
  key: string;
  value: string;
  type: number;
}

/**
 * The entries, the last of each key winning (as upstream's ParseMessage); undefined when the message is not
 * such JSON (a compressed `tknz:` message, which the builder never asks for, or a message of the step's own).
 */
export function parseTerminationMessage(message: string | undefined): RunResult[] | undefined {
  if (!message) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const byKey = new Map<string, RunResult>();
  for (const entry of parsed) {
    if (!entry || typeof entry !== 'object') continue;
    const { key, value, type } = entry as Record<string, unknown>;
    if (typeof key !== 'string' || typeof value !== 'string') continue;
    const kind =
      typeof type === 'number' ? type : typeof type === 'string' ? (TYPE_NAMES[type] ?? RESULT_TYPE.unknown) : 0;
    byKey.delete(key);
    byKey.set(key, { key, value, type: kind });
  }
  return [...byKey.values()];
}

/** Tekton's own entry `key` (type 3): StartedAt, ExitCode, Reason. */
export function internalValue(results: readonly RunResult[], key: string): string | undefined {
  return results.find((r) => r.type === RESULT_TYPE.internal && r.key === key)?.value;
}

/** Entries of one type whose key is one of `names`, as a record. */
export function resultsOfType(
  results: readonly RunResult[],
  type: number,
  names: readonly string[],
): Record<string, string> {
  const wanted = new Set(names);
  const out: Record<string, string> = {};
  for (const r of results) if (r.type === type && wanted.has(r.key)) out[r.key] = r.value;
  return out;
}
