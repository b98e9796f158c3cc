import { buildDag, taskResultReferences, topologicalOrder } from './dag';
import { retryTask, skipTask, startTask, type Decision } from './decision';
import type { TPipelineTask } from './pipeline-schemas';
import { SkippingReason } from './reasons';
import { tightest, type RunFacts } from './run-facts';
import { isDone } from './run-state';
import type { Scope } from './substitute';
import { evaluateWhen } from './when';

/** A task reads a result that is not in the scope (its task did not succeed, or did not write it). */
export function missingResults(facts: RunFacts, task: TPipelineTask, scope: Scope): boolean {
  return taskResultReferences(task).some(
    (ref) => !facts.byName.has(ref.task) || !(`tasks.${ref.task}.results.${ref.result}` in scope),
  );
}

/**
 * Why a DAG task that never started is skipped when the run is gracefully cancelled or stopped. As
 * Tekton: every such task is skipped at once, naming the cancel or stop, unless a task had failed on
 * its own (its children say "Parent Tasks were skipped", the rest "PipelineRun was stopping"). Tasks
 * the cancel itself cancelled do not count as failures.
 */
export function gracefulSkipReason(facts: RunFacts, parents: readonly TPipelineTask[]): SkippingReason {
  const parentsDone = parents.every((parent) => isDone(facts.phase(parent)));
  if (parentsDone && parents.some((parent) => facts.phase(parent) === 'failed')) return SkippingReason.ParentTasks;
  if (facts.hasFailedDagTask()) return SkippingReason.Stopping;
  return facts.gracefullyCancelled ? SkippingReason.GracefullyCancelled : SkippingReason.GracefullyStopped;
}

/**
 * Why a DAG task whose parents are all done is skipped, or undefined when it may start. Descendants
 * of a failed, cancelled or skipped task say so (SEMANTICS.md); a task skipped by its own when
 * expressions does not skip its runAfter dependents.
 */
export function dagSkipReason(
  facts: RunFacts,
  task: TPipelineTask,
  parents: readonly TPipelineTask[],
  scope: Scope,
): SkippingReason | undefined {
  const parentPhases = parents.map((parent) => facts.phase(parent));
  if (parentPhases.some((p) => p === 'failed' || p === 'cancelled')) return SkippingReason.ParentTasks;
  const skippedParent = parents.some(
    (parent) => facts.phase(parent) === 'skipped' && facts.skips.get(parent.name) !== SkippingReason.WhenExpressions,
  );
  if (skippedParent) return SkippingReason.ParentTasks;
  if (facts.tasksTimedOut) return SkippingReason.TasksTimedOut;
  if (facts.isStopping()) return SkippingReason.Stopping;
  if (missingResults(facts, task, scope)) return SkippingReason.MissingResults;
  if (!evaluateWhen(task.when, scope).pass) return SkippingReason.WhenExpressions;
  return undefined;
}

/**
 * Tekton's `DAGExecutionQueue`: walks the tasks section parents before children, so that new skips
 * reach descendants in one pass, and records retries, skips and starts in the decision. Returns the
 * scope the tasks saw (params, context, results), which finally tasks build on.
 */
export function dagQueue(facts: RunFacts, decision: Decision): Scope {
  const dag = buildDag(facts.dagTasks);
  const task = (name: string) => facts.byName.get(name) as TPipelineTask;
  // Skips and starts do not change which tasks succeeded, so the results scope holds for the whole pass.
  const scope = facts.scopeWithResults();
  const slot = {
    scope,
    isFinally: false,
    timeoutMs: tightest(facts.remainingMs(facts.budgets.pipeline), facts.remainingMs(facts.budgets.tasks)),
  };
  const graceful = facts.gracefullyCancelled || facts.gracefullyStopped;
  for (const name of topologicalOrder(dag)) {
    const t = task(name);
    const p = facts.phase(t);
    if (p === 'retrying') retryTask(facts, decision, t, slot);
    if (p !== 'pending') continue;
    const parents = [...(dag.parents.get(name) ?? [])].map(task);
    if (graceful) skipTask(facts, decision, t, gracefulSkipReason(facts, parents));
    else if (parents.every((parent) => isDone(facts.phase(parent)))) {
      const reason = dagSkipReason(facts, t, parents, scope);
      if (reason) skipTask(facts, decision, t, reason);
      else startTask(facts, decision, t, slot);
    }
  }
  return scope;
}
