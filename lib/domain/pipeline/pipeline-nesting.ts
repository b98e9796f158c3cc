import { MAX_PIPELINE_NESTING } from './child-pipeline-run';
import type { TPipelineSpec } from './pipeline-schemas';

/**
 * Apply-time checks of Pipelines in Pipelines: every `pipelineRef` of a pipeline task names a Pipeline of the
 * same project, no chain of pipelineRefs comes back to a Pipeline already on it (a cycle), and PipelineRuns
 * would nest at most MAX_PIPELINE_NESTING deep. Issues are reported at the field of the applied document
 * where the chain starts.
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

interface Walk {
  lookup: NestingLookup;
  issues: Map<string, NestingIssue>;
}

function add(w: Walk, issue: NestingIssue): void {
  if (!w.issues.has(issue.path)) w.issues.set(issue.path, issue);
}

/**
 * `chain` holds the stored Pipelines above `spec` (the applied one first); `level` is how deep a run of
 * `spec` is nested; `origin` is the document's field for tasks of a referenced Pipeline (undefined while
 * still inside the applied document).
 */
function walk(w: Walk, spec: TPipelineSpec, at: string, chain: string[], level: number, origin?: string): void {
  for (const section of ['tasks', 'finally'] as const) {
    (spec[section] ?? []).forEach((task, i) => {
      const here = `${at}.${section}[${i}]`;
      if (!task.pipelineRef && !task.pipelineSpec) return;
      const field = origin ?? (task.pipelineRef ? `${here}.pipelineRef.name` : `${here}.pipelineSpec`);
      if (level + 1 > MAX_PIPELINE_NESTING) {
        add(w, {
          path: field,
          message: `PipelineRuns would nest ${level + 1} deep (${[...chain, task.pipelineRef?.name ?? `${task.name} (embedded)`].join(' → ')}); at most ${MAX_PIPELINE_NESTING} levels are allowed`,
          hint: 'Flatten the pipelines: run some of the nested tasks directly in a parent Pipeline.',
        });
        return;
      }
      if (task.pipelineSpec) walk(w, task.pipelineSpec, `${here}.pipelineSpec`, chain, level + 1, origin);
      if (!task.pipelineRef) return;
      const name = task.pipelineRef.name;
      if (chain.includes(name)) {
        add(w, {
          path: field,
          message: `task "${task.name}" runs Pipeline "${name}", which is already running above it: ${[...chain, name].join(' → ')} is a cycle`,
          hint: 'A Pipeline may not run itself, directly or through other Pipelines: refer to another Pipeline.',
        });
        return;
      }
      const child = w.lookup.pipeline(name);
      if (!child) {
        const owner = w.lookup.elsewhere?.(name);
        add(w, {
          path: field,
          message: owner
            ? `task "${task.name}" refers to Pipeline "${name}", which does not exist in project "${w.lookup.project}" (a Pipeline of that name belongs to another project)`
            : `task "${task.name}" refers to Pipeline "${name}", which does not exist`,
          hint: owner
            ? `A Pipeline can only run Pipelines of its own project: apply "${name}" with metadata.namespace: ${w.lookup.project}, or fix the name.`
            : `Apply a Pipeline named "${name}" first (or in the same file), or fix the name.`,
        });
        return;
      }
      walk(w, child, `pipeline(${name}).spec`, [...chain, name], level + 1, field);
    });
  }
}

/** The nesting issues of a Pipeline (`name`) or of a PipelineRun's inline pipelineSpec (`name` undefined). */
export function pipelineNestingIssues(
  spec: TPipelineSpec,
  name: string | undefined,
  lookup: NestingLookup,
  specPath = 'spec',
): NestingIssue[] {
  const w: Walk = { lookup, issues: new Map() };
  walk(w, spec, specPath, name ? [name] : [], 0);
  return [...w.issues.values()];
}
