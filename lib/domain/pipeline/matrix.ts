/** Tekton's matrix fan-out: the cartesian product of `matrix.params`, then `matrix.include`. */
export const MAX_MATRIX_COMBINATIONS = 256;

export type Combination = Record<string, string>;

export interface ResolvedMatrix {
  params?: { name: string; value: readonly string[] }[];
  include?: { name?: string; params: { name: string; value: string }[] }[];
}

/**
 * Combinations in Tekton's order. Each include entry is merged into every combination whose
 * shared params have equal values; an include that matches none by a shared value becomes a new
 * combination. With include only, each entry is one combination.
 */
export function matrixCombinations(matrix: ResolvedMatrix): Combination[] {
  const includes = (matrix.include ?? []).map((inc): Combination =>
    Object.fromEntries(inc.params.map((p) => [p.name, p.value])),
  );
  const params = matrix.params ?? [];
  if (params.length === 0) return includes.map((c) => ({ ...c }));
  let combinations: Combination[] = [];
  for (const param of params) {
    if (combinations.length === 0) {
      combinations = param.value.map((v) => ({ [param.name]: v }));
      continue;
    }
    // Tekton distributes value-major: each new value over all existing combinations.
    combinations = param.value.flatMap((v) => combinations.map((c) => ({ ...c, [param.name]: v })));
  }
  for (const combination of combinations) {
    for (const include of includes) {
      if (Object.entries(include).every(([k, v]) => !(k in combination) || combination[k] === v))
        Object.assign(combination, include);
    }
  }
  for (const include of includes) {
    const entries = Object.entries(include);
    if (entries.length === 0) continue;
    const matchesSome = combinations.some((c) => entries.some(([k, v]) => k in c && c[k] === v));
    if (!matchesSome) combinations.push({ ...include });
  }
  return combinations;
}

/** How many TaskRuns a matrix creates, for the cap check before anything runs. */
export function countCombinations(matrix: ResolvedMatrix): number {
  return matrixCombinations(matrix).length;
}

/** `<pipelinerun>-<task>` or `<pipelinerun>-<task>-<i>`, kept within 63 characters as Kubernetes names must be. */
export function childTaskRunName(pipelineRun: string, task: string, matrixIndex?: number): string {
  const name = matrixIndex === undefined ? `${pipelineRun}-${task}` : `${pipelineRun}-${task}-${matrixIndex}`;
  if (name.length <= 63) return name;
  const hash = fnv1a(name).toString(16).padStart(8, '0');
  return `${name.slice(0, 63 - 9).replace(/-+$/, '')}-${hash}`;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * Results of a fanned-out task as later tasks see them: each string result becomes an array of
 * the values in combination order; runs that did not write it are left out.
 */
export function gatherMatrixResults(
  runs: readonly (Readonly<Record<string, string>> | undefined)[],
  resultNames: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of resultNames) {
    const values = runs.flatMap((r) => (r && r[name] !== undefined ? [r[name]] : []));
    if (values.length > 0) out[name] = values;
  }
  return out;
}
