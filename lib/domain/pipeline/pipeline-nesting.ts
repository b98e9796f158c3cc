import { MAX_PIPELINE_NESTING, MAX_PIPELINE_RUNS_IN_TREE } from './child-pipeline-run';
import type { TPipelineSpec } from './pipeline-schemas';

/**
 * Apply-time checks of Pipelines in Pipelines: every `pipelineRef` of a pipeline task names a Pipeline of the
 * same project, no chain of pipelineRefs comes back to a Pipeline already on it (a cycle), and PipelineRuns
 * would nest at most MAX_PIPELINE_NESTING deep, nor start more than MAX_PIPELINE_RUNS_IN_TREE runs in all. Issues
 * are reported at the field of the applied document where the chain starts.
 *
 * The stored Pipelines are walked depth first once per nesting level (a memo by level and name, which the
 * documents of one project may share), so that Pipelines of many pipeline tasks all running the same Pipeline
 * cost their size, not the product of their fan-outs.
 */

export interface NestingIssue {
  path: string;
  message: string;
  hint: string;
}

export interface NestingLookup {
  /** A Pipeline of the project by name (in the applied file or stored), or undefined. */
  pipeline(name: string): TPipelineSpec | undefined;
  /** For a Pipeline not found: the other project that holds one of that name, if any. */
  elsewhere?(name: string): string | undefined;
  project: string;
}

/** The pipelineRef names of a spec and of the pipelineSpecs embedded in it. */
export function pipelineRefNames(spec: TPipelineSpec): string[] {
  return [...spec.tasks, ...(spec.finally ?? [])].flatMap((t) => [
    ...(t.pipelineRef ? [t.pipelineRef.name] : []),
    ...(t.pipelineSpec ? pipelineRefNames(t.pipelineSpec) : []),
  ]);
}

/** What a run of a stored Pipeline starts below it, as far as the walk looked. */
export interface Below {
  /** How many levels of PipelineRuns nest below it (0: none). */
  height: number;
  /** The names on its deepest chain, itself first. */
  deepest: string[];
  /** How many PipelineRuns a run of it is in all, itself included (capped just above the limit). */
  runs: number;
  /** The first cycle or missing Pipeline found below it. */
  problem?: Omit<NestingIssue, 'path'>;
}

/** What the walk found below each stored Pipeline at each level, shared by the documents of one project. */
export type NestingMemo = Map<string, Below>;

interface Walk {
  lookup: NestingLookup;
  issues: Map<string, NestingIssue>;
  /** The stored Pipelines walked already, by `<level>:<name>`. */
  memo: NestingMemo;
  /** The Pipelines being walked, the applied one first (a pipelineRef to one of them is a cycle). */
  stack: string[];
}

const capped = (runs: number) => Math.min(runs, MAX_PIPELINE_RUNS_IN_TREE + 1);

function add(w: Walk, issue: NestingIssue): void {
  if (!w.issues.has(issue.path)) w.issues.set(issue.path, issue);
}

const pipelineTasks = (spec: TPipelineSpec) =>
  (['tasks', 'finally'] as const).flatMap((section) =>
    (spec[section] ?? [])
      .map((task, i) => ({ task, section, i }))
      .filter((t) => t.task.pipelineRef || t.task.pipelineSpec),
  );

function cycle(taskName: string, chain: string[], name: string): Omit<NestingIssue, 'path'> {
  return {
    message: `task "${taskName}" runs Pipeline "${name}", which is already running above it: ${[...chain, name].join(' → ')} is a cycle`,
    hint: 'A Pipeline may not run itself, directly or through other Pipelines: refer to another Pipeline.',
  };
}

function missing(w: Walk, taskName: string, name: string): Omit<NestingIssue, 'path'> {
  const owner = w.lookup.elsewhere?.(name);
  return {
    message: owner
      ? `task "${taskName}" refers to Pipeline "${name}", which does not exist in project "${w.lookup.project}" (a Pipeline of that name belongs to another project)`
      : `task "${taskName}" refers to Pipeline "${name}", which does not exist`,
    hint: owner
      ? `A Pipeline can only run Pipelines of its own project: apply "${name}" with metadata.namespace: ${w.lookup.project}, or fix the name.`
      : `Apply a Pipeline named "${name}" first (or in the same file), or fix the name.`,
  };
}

/**
 * What runs below a run of `spec` at nesting `level`. A pipeline task whose run would already be too deep is not
 * looked into (it counts one level more, which is enough to refuse it).
 */
function below(w: Walk, spec: TPipelineSpec, level: number): Below {
  const out: Below = { height: 0, deepest: [], runs: 1 };
  for (const { task } of pipelineTasks(spec)) {
    let child: Below;
    if (level + 1 > MAX_PIPELINE_NESTING)
      child = { height: 0, deepest: [task.pipelineRef?.name ?? `${task.name} (embedded)`], runs: 1 };
    else if (task.pipelineSpec) {
      const inner = below(w, task.pipelineSpec, level + 1);
      child = { ...inner, deepest: [`${task.name} (embedded)`, ...inner.deepest] };
    } else child = belowNamed(w, task.name, task.pipelineRef!.name, level + 1);
    out.problem ??= child.problem;
    out.runs = capped(out.runs + child.runs);
    if (child.height + 1 > out.height) {
      out.height = child.height + 1;
      out.deepest = child.deepest;
    }
  }
  return out;
}

/** What a run of the stored Pipeline `name` is, with what runs below it (walked once per name). */
function belowNamed(w: Walk, taskName: string, name: string, level: number): Below {
  if (w.stack.includes(name)) return { height: 0, deepest: [name], runs: 1, problem: cycle(taskName, w.stack, name) };
  const key = `${level}:${name}`;
  const known = w.memo.get(key);
  if (known) return known;
  const spec = w.lookup.pipeline(name);
  if (!spec) return { height: 0, deepest: [name], runs: 1, problem: missing(w, taskName, name) };
  w.stack.push(name);
  const inner = below(w, spec, level);
  w.stack.pop();
  const result = { ...inner, deepest: [name, ...inner.deepest] };
  w.memo.set(key, result);
  return result;
}

/** The chain shown in a message, cut after a few levels past the limit. */
function shown(chain: string[]): string {
  const limit = MAX_PIPELINE_NESTING + 2;
  return chain.length > limit ? `${chain.slice(0, limit).join(' → ')} → …` : chain.join(' → ');
}

/**
 * Walks the applied document (`at` is its field for `spec`, `level` how deep a run of `spec` nests, `chain` the
 * names above it); returns how many PipelineRuns a run of `spec` is in all.
 */
function walk(w: Walk, spec: TPipelineSpec, at: string, chain: string[], level: number): number {
  let runs = 1;
  for (const { task, section, i } of pipelineTasks(spec)) {
    const here = `${at}.${section}[${i}]`;
    const path = task.pipelineRef ? `${here}.pipelineRef.name` : `${here}.pipelineSpec`;
    const deep = (deepest: string[]) =>
      add(w, {
        path,
        message: `PipelineRuns would nest ${level + deepest.length} deep (${shown([...chain, ...deepest])}); at most ${MAX_PIPELINE_NESTING} levels are allowed`,
        hint: 'Flatten the pipelines: run some of the nested tasks directly in a parent Pipeline.',
      });
    if (level + 1 > MAX_PIPELINE_NESTING) {
      deep([task.pipelineRef?.name ?? `${task.name} (embedded)`]);
      runs = capped(runs + 1);
      continue;
    }
    if (task.pipelineSpec) {
      runs = capped(runs + walk(w, task.pipelineSpec, `${here}.pipelineSpec`, chain, level + 1));
      continue;
    }
    const child = belowNamed(w, task.name, task.pipelineRef!.name, level + 1);
    runs = capped(runs + child.runs);
    if (child.problem) add(w, { path, ...child.problem });
    else if (level + 1 + child.height > MAX_PIPELINE_NESTING) deep(child.deepest);
  }
  return runs;
}

/** The nesting issues of a Pipeline (`name`) or of a PipelineRun's inline pipelineSpec (`name` undefined). */
export function pipelineNestingIssues(
  spec: TPipelineSpec,
  name: string | undefined,
  lookup: NestingLookup,
  specPath = 'spec',
  memo: NestingMemo = new Map(),
): NestingIssue[] {
  const chain = name ? [name] : [];
  const w: Walk = { lookup, issues: new Map(), memo, stack: [...chain] };
  const runs = walk(w, spec, specPath, chain, 0);
  if (runs > MAX_PIPELINE_RUNS_IN_TREE && w.issues.size === 0)
    add(w, {
      path: specPath,
      message: `a run of this pipeline would start more than ${MAX_PIPELINE_RUNS_IN_TREE} PipelineRuns in all (itself, its pipeline tasks' child PipelineRuns and theirs); at most ${MAX_PIPELINE_RUNS_IN_TREE} are allowed`,
      hint: 'Run fewer Pipelines from pipeline tasks: several pipeline tasks running the same Pipeline multiply its runs at every level.',
    });
  return [...w.issues.values()];
}
