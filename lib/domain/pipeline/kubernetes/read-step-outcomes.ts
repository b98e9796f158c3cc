/**
 * A TaskRun's outcome read from its pod, in the terms the local executor reports (run-step.ts judge(),
 * run-control.ts): the same step reasons and messages, the same results, so the engine stores a pod's
 * TaskRun exactly like a local one. The entrypoint reports through each step container's terminated
 * state: the exit code, and a termination message with StartedAt, Reason (Skipped, TimeoutExceeded,
 * Cancelled), ExitCode (onError: continue) and the results (upstream's pkg/pod/status.go reads the same).
 */
import { formatGoDuration } from '../duration';
import { applyStepResults, stepResultScope, taskResultsFromSteps } from '../step-results';
import { stepWhenSkip } from '../step-when';
import type { StepOutcome, StepPlan, TaskRunOutcome, TaskRunPlan } from '../task-run-plan';
import { READY_ANNOTATION, READY_VALUE, stepContainerName } from './pod-paths';
import { podLostProblem } from './pod-problems';
import type { ContainerStatusLike, PodReading } from './pod-types';
import {
  internalValue,
  parseTerminationMessage,
  RESULT_TYPE,
  resultsOfType,
  type RunResult,
} from './termination-message';

export interface StepOutcomesReading {
  /** When finished, one per step in order; before that, the steps that ended so far. */
  steps: StepOutcome[];
  /** Task results (verbatim), including those whose value is a step result. */
  results: Record<string, string>;
  /** Every step ended, the pod stopped, or the caller stopped it. */
  finished: boolean;
  /** Why the TaskRun fails; undefined while it runs and when it succeeds. */
  failure?: { reason: TaskRunOutcome['reason']; message: string };
  /** The step running now (its container started and every earlier step ended), if any. */
  running?: { name: string; startedAt: Date | null };
}

export interface ReadOptions {
  /** The executor stopped the pod: the running step is Cancelled or TimedOut, the rest Skipped. */
  stopped?: 'cancel' | 'timeout';
}

type End = NonNullable<StepOutcomesReading['failure']>;

export function readStepOutcomes(plan: TaskRunPlan, pod: PodReading, options: ReadOptions = {}): StepOutcomesReading {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const written: Record<string, Record<string, string>> = {};
  const taskResults: Record<string, string> = {};
  const steps: StepOutcome[] = [];
  let end: End | undefined;
  let previousEnd: Date | null = null;
  let current: { index: number; status?: ContainerStatusLike } | undefined;

  for (const [index, step] of plan.steps.entries()) {
    const status = statuses.get(stepContainerName(step.name, index));
    const terminated = status?.state?.terminated;
    if (!terminated) {
      current = { index, status };
      break;
    }
    const entries = parseTerminationMessage(terminated.message) ?? [];
    Object.assign(taskResults, resultsOfType(entries, RESULT_TYPE.taskRun, plan.resultNames));
    const own = step.results?.length
      ? resultsOfType(
          entries,
          RESULT_TYPE.step,
          step.results.map((r) => r.name),
        )
      : undefined;
    if (own) written[step.name] = own;
    if (end) {
      steps.push(skipped(step.name));
      continue;
    }
    const judged = judge(plan, step, status, entries, written);
    if (own && judged.outcome.reason !== 'Skipped') judged.outcome.results = own;
    steps.push(judged.outcome);
    end = judged.end;
    previousEnd = judged.outcome.finishedAt ?? previousEnd;
  }

  // With sidecars the first step waits for the ready annotation before it starts.
  const gated =
    current?.index === 0 &&
    Boolean(plan.sidecars?.length) &&
    pod.metadata?.annotations?.[READY_ANNOTATION] !== READY_VALUE;
  const running =
    current && current.status?.state?.running && !end && !gated
      ? {
          name: plan.steps[current.index].name,
          startedAt: later(previousEnd, date(current.status.state.running.startedAt)),
        }
      : undefined;
  const podStopped = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const timeoutText = formatGoDuration(plan.timeoutMs ?? 0);
  let finished = current === undefined;

  if (current && (options.stopped || podStopped || end)) {
    finished = true;
    if (!end && options.stopped) end = stoppedEnd(plan, options.stopped, running?.name, timeoutText);
    if (!end) {
      end = podLostProblem(pod, timeoutText) ?? {
        reason: 'Failed',
        message: `the pod of TaskRun "${plan.taskRunName}" stopped before step "${plan.steps[current.index].name}" ended`,
      };
    }
    for (const step of plan.steps.slice(current.index)) {
      if (running && step.name === running.name && options.stopped) {
        steps.push({
          name: step.name,
          exitCode: null,
          startedAt: running.startedAt,
          finishedAt: null,
          reason: options.stopped === 'cancel' ? 'Cancelled' : 'TimedOut',
          message: end.message,
        });
      } else steps.push(skipped(step.name));
    }
  }

  Object.assign(taskResults, taskResultsFromSteps(plan.resultsFromSteps ?? [], stepResultScope(plan.steps, written)));
  return {
    steps,
    results: taskResults,
    finished,
    ...(end ? { failure: end } : {}),
    ...(running && !finished ? { running } : {}),
  };
}

function judge(
  plan: TaskRunPlan,
  step: StepPlan,
  status: ContainerStatusLike | undefined,
  entries: readonly RunResult[],
  written: Record<string, Record<string, string>>,
): { outcome: StepOutcome; end?: End } {
  const terminated = status!.state!.terminated!;
  const reason = internalValue(entries, 'Reason');
  const continued = internalValue(entries, 'ExitCode');
  const exitCode = continued !== undefined ? Number(continued) : terminated.exitCode;
  const startedAt = date(internalValue(entries, 'StartedAt')) ?? date(terminated.startedAt);
  // The kubelet's finishedAt has whole seconds; the entrypoint's StartedAt has milliseconds.
  const finishedAt = later(startedAt, date(terminated.finishedAt));
  const base = { name: step.name, exitCode, startedAt, finishedAt };

  if (reason === 'Skipped') {
    // Exit 0: its `when` did not hold. Otherwise an earlier step failed (the entrypoint saw its .err post file).
    if (terminated.exitCode !== 0) return { outcome: skipped(step.name) };
    const why =
      stepWhenSkip(applyStepResults(step, stepResultScope(plan.steps, written))) ??
      'when expressions were false, so the step was skipped';
    return { outcome: skipped(step.name, why) };
  }
  if (reason === 'TimeoutExceeded') {
    const message = `step "${step.name}" timed out after ${formatGoDuration(step.timeoutMs ?? 0)}`;
    return { outcome: { ...base, reason: 'TimedOut', message }, end: { reason: 'TaskRunTimeout', message } };
  }
  if (reason === 'Cancelled') {
    const message = `TaskRun "${plan.taskRunName}" was cancelled while step "${step.name}" was running`;
    return { outcome: { ...base, reason: 'Cancelled', message }, end: { reason: 'TaskRunCancelled', message } };
  }
  if (exitCode === 0 && terminated.exitCode === 0) return { outcome: { ...base, reason: 'Completed' } };
  const why =
    terminated.reason && terminated.reason !== 'Error' && terminated.reason !== 'Completed' ? terminated.reason : '';
  const runtime = runtimeText(terminated);
  const exited = `"${step.name}" exited with code ${exitCode}${why ? `: ${why}` : ''}${runtime ? `: ${runtime}` : ''}`;
  if (continued !== undefined && terminated.exitCode === 0)
    return { outcome: { ...base, reason: 'Error', message: `${exited} (onError: continue)` } };
  return { outcome: { ...base, reason: 'Error', message: exited }, end: { reason: 'Failed', message: exited } };
}

/** Reasons with which the runtime reports a container it could not start; its own text says why. */
const START_FAILURES = new Set(['StartError', 'ContainerCannotRun']);

/**
 * The runtime's text for a container it could not start (runc's `exec: "...": no such file or directory`, a mount
 * that failed): the kubelet puts it in terminated.message, where the entrypoint's JSON would otherwise be.
 */
function runtimeText(terminated: { reason?: string; message?: string }): string | undefined {
  if (!terminated.reason || !START_FAILURES.has(terminated.reason)) return undefined;
  const text = terminated.message?.trim();
  if (!text || parseTerminationMessage(text) !== undefined) return undefined;
  return text;
}

function stoppedEnd(plan: TaskRunPlan, by: 'cancel' | 'timeout', step: string | undefined, timeoutText: string): End {
  if (by === 'cancel') {
    const message = step
      ? `TaskRun "${plan.taskRunName}" was cancelled while step "${step}" was running`
      : `TaskRun "${plan.taskRunName}" was cancelled`;
    return { reason: 'TaskRunCancelled', message };
  }
  const base = `TaskRun "${plan.taskRunName}" failed to finish within "${timeoutText}"`;
  return { reason: 'TaskRunTimeout', message: step ? `${base}; step "${step}" was killed` : base };
}

/** A step that did not run, as the local executor's skippedStep. */
function skipped(name: string, message?: string): StepOutcome {
  return {
    name,
    exitCode: null,
    startedAt: null,
    finishedAt: null,
    reason: 'Skipped',
    ...(message === undefined ? {} : { message }),
  };
}

function date(text: string | undefined): Date | null {
  if (!text) return null;
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? null : d;
}

function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
