/** From a created pod to the TaskRun's outcome: supervision, step hooks, the last logs, the pod's end. */
import type {
  ExecutionHooks,
  LogLine,
  StepOutcome,
  TaskRunOutcome,
  TaskRunPlan,
} from '../../../domain/pipeline/task-run-plan';
import { applyStepResults, stepResultScope } from '../../../domain/pipeline/step-results';
import { stepWhenSkip } from '../../../domain/pipeline/step-when';
import { listEvents } from '../../k8s/events';
import { finishPod, type RunContext } from './finish-pod';
import { outcomeReason, skipped, SUCCESS_MESSAGE } from './outcome';
import type { PodFunctions } from './pod-functions';
import { supervisePod } from './pod-supervisor';
import type { PodObject } from './pod-types';
import type { RunDeps } from './run-task-run';

/** How long the log followers get to deliver the last lines once the pod ended or was deleted. */
const LAST_LOGS_MS = 10_000;

export async function superviseRun(
  deps: RunDeps,
  ctx: RunContext,
  plan: TaskRunPlan,
  hooks: ExecutionHooks,
  created: PodObject,
  deadline: number | undefined,
): Promise<TaskRunOutcome> {
  const { pods, reportError } = deps;
  const reported = new Set<number>();
  let hookChain: Promise<void> = Promise.resolve();
  const hook = (call: () => Promise<void> | void) => {
    hookChain = hookChain.then(async () => {
      try {
        await call();
      } catch (error) {
        reportError(error);
      }
    });
  };
  const maskStep = (o: StepOutcome): StepOutcome => (o.message ? { ...o, message: ctx.mask(o.message) } : o);
  const report = (i: number, outcome: StepOutcome) => {
    if (reported.has(i)) return;
    reported.add(i);
    ctx.logs.flush();
    hook(() => hooks.onStepFinished?.(maskStep(outcome)));
  };
  const sup = supervisePod({
    conn: ctx.conn,
    namespace: ctx.namespace,
    created,
    steps: plan.steps.map((s, i) => ({ container: pods.stepContainer(s.name, i), logName: s.name })),
    sidecars: (plan.sidecars ?? []).map((s) => ({
      container: pods.sidecarContainer(s.name),
      logName: pods.sidecarContainer(s.name),
    })),
    markReady: (plan.sidecars?.length ?? 0) > 0,
    startProblem: (pod, events) => pods.startProblem(pod, events),
    listEvents: async () =>
      (
        await listEvents(ctx.conn, { kind: 'Pod', name: ctx.podName, namespace: ctx.namespace, uid: ctx.podUid })
      ).reverse(),
    stepOutcome: (pod, i) => {
      const o = pods.read(plan, pod).steps[i];
      return o && (o.finishedAt || o.reason === 'Skipped') ? o : undefined;
    },
    running: (pod) => runningStep(pods, plan, pod),
    startTimeoutMs: deps.startTimeoutMs,
    deadline,
    signal: hooks.signal,
    emit: (line: LogLine) => ctx.logs.add({ ...line, text: ctx.mask(line.text) }),
    onStepStarted: (i, at) => hook(() => hooks.onStepStarted?.(plan.steps[i].name, at)),
    onStepEnded: report,
    onError: reportError,
  });
  const end = await sup.end;
  sup.stop();
  // Stopped from outside: the pod goes now, and its followers get the last lines as its containers stop.
  if (end.kind !== 'finished') await finishPod(finishOptions(deps), ctx, { podCreated: true, stop: true });
  // Steps' logs end with their containers; sidecars run on until the pod goes, so theirs get a moment only.
  const stepContainers = new Set(plan.steps.map((s, i) => pods.stepContainer(s.name, i)));
  const followers = [...sup.followers.entries()];
  await settleWithin(
    followers.filter(([c]) => stepContainers.has(c)).map(([, f]) => f.done),
    LAST_LOGS_MS,
  );
  await settleWithin(
    followers.filter(([c]) => !stepContainers.has(c)).map(([, f]) => f.done),
    end.kind === 'finished' ? 500 : LAST_LOGS_MS,
  );
  for (const [, f] of followers) f.stop();
  await settleWithin([sup.pendingStepEnds()], 2_000);

  const stopped = end.kind === 'cancelled' ? 'cancel' : end.kind === 'timeout' ? 'timeout' : undefined;
  const reading = pods.read(plan, end.pod, stopped ? { stopped } : {});
  let outcome: TaskRunOutcome;
  if (end.kind === 'finished' || stopped) {
    const failure = reading.failure;
    outcome = {
      status: failure ? 'Failed' : 'Succeeded',
      reason: failure ? outcomeReason(failure.reason) : 'Succeeded',
      message: failure ? failure.message : SUCCESS_MESSAGE,
      steps: completeSteps(plan, reading.steps),
      results: reading.results,
      sandbox: 'kubernetes',
    };
  } else {
    // Could not start, or deleted under it: the steps that ended keep their outcome, the rest are skipped.
    const stop =
      end.kind === 'unstartable'
        ? { reason: outcomeReason(end.reason), message: end.message }
        : { reason: 'Failed' as const, message: end.kind === 'lost' ? end.message : 'the pod stopped' };
    outcome = {
      status: 'Failed',
      reason: stop.reason,
      message: stop.message,
      steps: completeSteps(plan, reading.steps),
      results: {},
      sandbox: 'kubernetes',
    };
  }
  outcome = {
    ...outcome,
    message: ctx.mask(outcome.message),
    steps: outcome.steps.map(maskStep),
    pod: { namespace: ctx.namespace, name: ctx.podName },
  };
  outcome.steps.forEach((s, i) => report(i, s));
  if (end.kind === 'finished') await finishPod(finishOptions(deps), ctx, { podCreated: true });
  await ctx.logs.drain();
  await hookChain;
  return outcome;
}

const finishOptions = (deps: RunDeps) => ({
  keepFinishedPodsMs: deps.keepFinishedPodsMs,
  reportError: deps.reportError,
});

/** The step whose own command runs now: every earlier one ended, none failed, its `when` holds. */
function runningStep(pods: PodFunctions, plan: TaskRunPlan, pod: PodObject) {
  const reading = pods.read(plan, pod);
  if (reading.failure || !reading.running) return undefined;
  const index = plan.steps.findIndex((s) => s.name === reading.running!.name);
  if (index < 0) return undefined;
  const written = Object.fromEntries(reading.steps.map((s) => [s.name, s.results ?? {}]));
  if (stepWhenSkip(applyStepResults(plan.steps[index], stepResultScope(plan.steps, written)))) return undefined;
  return { index, startedAt: reading.running.startedAt ?? new Date() };
}

/** One outcome per step: those the reader has not judged (they never ended) are skipped. */
function completeSteps(plan: TaskRunPlan, read: readonly StepOutcome[]): StepOutcome[] {
  return plan.steps.map((s, i) => (read[i]?.name === s.name ? read[i] : skipped(s.name)));
}

/** Waits for all of `promises`, or `ms`, whichever comes first. */
async function settleWithin(promises: Promise<unknown>[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(promises), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  if (timer) clearTimeout(timer);
}
