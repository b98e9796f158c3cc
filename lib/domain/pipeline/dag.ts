import type { TPipelineTask } from './pipeline-schemas';
import { resultReferences, stringsIn, type ResultReference } from './variables';

/** Every string of a pipeline task that may hold `$(tasks…)` references, with its path. */
export function referenceFields(task: TPipelineTask): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  task.params?.forEach((p, i) => stringsIn(p.value).forEach((text) => out.push({ path: `params[${i}].value`, text })));
  task.when?.forEach((w, i) => {
    out.push({ path: `when[${i}].input`, text: w.input });
    w.values.forEach((text, j) => out.push({ path: `when[${i}].values[${j}]`, text }));
  });
  task.matrix?.params?.forEach((p, i) =>
    stringsIn(p.value).forEach((text) => out.push({ path: `matrix.params[${i}].value`, text })),
  );
  task.matrix?.include?.forEach((inc, i) =>
    inc.params.forEach((p, j) => out.push({ path: `matrix.include[${i}].params[${j}].value`, text: p.value })),
  );
  task.workspaces?.forEach((w, i) => w.subPath && out.push({ path: `workspaces[${i}].subPath`, text: w.subPath }));
  return out;
}

/** The `$(tasks.T.results.R)` references of a task, each with the field path it sits in. */
export function taskResultReferences(task: TPipelineTask): (ResultReference & { path: string })[] {
  return referenceFields(task).flatMap(({ path, text }) => resultReferences([text]).map((ref) => ({ ...ref, path })));
}

export interface Dag {
  /** Task names in spec order. */
  names: string[];
  /** Parents of each task: its runAfter entries and the tasks whose results it reads. */
  parents: Map<string, Set<string>>;
  children: Map<string, Set<string>>;
}

/** Builds the graph of the `tasks` section; edges to names outside it are left for validation. */
export function buildDag(tasks: readonly TPipelineTask[]): Dag {
  const names = tasks.map((t) => t.name);
  const known = new Set(names);
  const parents = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  const children = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const task of tasks) {
    const deps = [...(task.runAfter ?? []), ...taskResultReferences(task).map((r) => r.task)];
    for (const dep of deps) {
      if (!known.has(dep)) continue;
      parents.get(task.name)?.add(dep);
      children.get(dep)?.add(task.name);
    }
  }
  return { names, parents, children };
}

/** A cycle as a closed path (`['a', 'b', 'a']`), or undefined when the graph is acyclic. */
export function findCycle(dag: Dag): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'visiting');
    stack.push(name);
    for (const parent of dag.parents.get(name) ?? []) {
      if (state.get(parent) === 'visiting') {
        // The stack walks child → parent; report it in run order, parent → child.
        const cycle = stack.slice(stack.indexOf(parent)).reverse();
        return [...cycle, cycle[0]];
      }
      if (!state.has(parent)) {
        const found = visit(parent);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of dag.names) {
    if (!state.has(name)) {
      const found = visit(name);
      if (found) return found;
    }
  }
  return undefined;
}

/** Names with every parent before its children, ties kept in spec order. Assumes no cycle. */
export function topologicalOrder(dag: Dag): string[] {
  const remaining = new Map([...dag.parents].map(([n, ps]) => [n, ps.size]));
  const out: string[] = [];
  const ready = dag.names.filter((n) => remaining.get(n) === 0);
  while (ready.length > 0) {
    const name = ready.shift() as string;
    out.push(name);
    for (const child of dag.children.get(name) ?? []) {
      const left = (remaining.get(child) ?? 0) - 1;
      remaining.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return out;
}

/** Every task reachable from `name` through child edges. */
export function descendants(dag: Dag, name: string): Set<string> {
  const out = new Set<string>();
  const queue = [...(dag.children.get(name) ?? [])];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    if (out.has(next)) continue;
    out.add(next);
    queue.push(...(dag.children.get(next) ?? []));
  }
  return out;
}
