import { dagQueue } from './dag-queue';
import { CancelMessage, cancelRunning, emptyDecision, skipTask, type Decision } from './decision';
import { finallyQueue } from './finally-queue';
import { pipelineResults, type PipelineRunCondition } from './finish-pipeline-run';
import { SkippingReason } from './reasons';
import { runFacts, type DecideInput, type RunFacts } from './run-facts';
import {
  finalCondition,
  pendingCondition,
  pipelineTimeoutCondition,
  runningCondition,
  runTimedOut,
} from './run-condition';
import { isDone } from './run-state';

export type { DecideInput } from './run-facts';
export type { Decision } from './decision';

/** The run goes on: its condition now, and every skip so far. */
function running(facts: RunFacts, decision: Decision, stopping: boolean): Decision {
  decision.condition = runningCondition(facts, stopping);
  decision.skippedTasks = facts.skippedTasks();
  return decision;
}

/** The run has ended: its final condition and its results. */
function finished(facts: RunFacts, decision: Decision, condition: PipelineRunCondition): Decision {
  decision.skippedTasks = facts.skippedTasks();
  decision.condition = condition;
  const results = pipelineResults(facts.spec, (name) => facts.byName.get(name), facts.phase, facts.scopeWithResults());
  decision.finish = { ...condition, results };
  return decision;
}

/**
 * The pure scheduler: given where a PipelineRun stands, what to do next. It composes the run's facts,
 * the DAG queue, the finally queue and the run's condition, in Tekton's order: pending, cancelled,
 * timed out, then the tasks, then finally once every task has ended.
 */
export function decide(input: DecideInput): Decision {
  const facts = runFacts(input);
  const decision = emptyDecision();
  if (input.specStatus === 'PipelineRunPending') {
    decision.condition = pendingCondition();
    return decision;
  }
  if (input.specStatus === 'Cancelled') {
    decision.cancelRunning.push(...cancelRunning(facts, facts.allTasks, CancelMessage.cancelled));
    return finished(facts, decision, finalCondition(facts, false));
  }
  if (facts.pipelineTimedOut) {
    decision.cancelRunning.push(...cancelRunning(facts, facts.allTasks, CancelMessage.timeout));
    for (const t of facts.allTasks)
      if (facts.phase(t) === 'pending') skipTask(facts, decision, t, SkippingReason.PipelineTimedOut);
    return finished(facts, decision, pipelineTimeoutCondition(facts));
  }

  if (facts.gracefullyCancelled)
    decision.cancelRunning.push(...cancelRunning(facts, facts.dagTasks, CancelMessage.cancelled));
  if (facts.tasksTimedOut) decision.cancelRunning.push(...cancelRunning(facts, facts.dagTasks, CancelMessage.timeout));
  const dagScope = dagQueue(facts, decision);
  if (!facts.dagTasksDone() || decision.start.length > 0) return running(facts, decision, facts.isStopping());

  const fin = finallyQueue(facts, decision, dagScope);
  if (decision.start.length > 0 || !facts.finallyTasks.every((t) => isDone(facts.phase(t))))
    return running(facts, decision, facts.hasFailedDagTask());
  return finished(facts, decision, finalCondition(facts, runTimedOut(facts, fin.timedOut)));
}
