import { TaskRunReason } from './reasons';
import type { ResultType } from './step-results';
import type { StepOutcome, TaskRunOutcome } from './task-run-plan';
import { finishedTaskRunState, taskRunCondition } from './succeeded-condition';

/** A TaskRun's status in Tekton's v1 field names, so tooling and habits carry over. */
export interface TektonCondition {
  type: 'Succeeded';
  status: 'True' | 'False' | 'Unknown';
  /** A `TaskRunReason` when Keelson writes it; read back from storage, whatever was stored. */
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export interface TektonStepState {
  name: string;
  container: string;
  imageID?: string;
  running?: { startedAt: string };
  terminated?: {
    exitCode: number;
    reason: string;
    message?: string;
    startedAt: string | null;
    finishedAt: string | null;
  };
  /** Step results (Tekton's TaskRunStepResult), when the step declares any. */
  results?: TektonResult[];
}

export interface TektonResult {
  name: string;
  type: ResultType;
  value: unknown;
}

export interface TektonTaskRunStatus {
  conditions: TektonCondition[];
  podName: string;
  startTime?: string;
  completionTime?: string;
  steps: TektonStepState[];
  results: TektonResult[];
  retriesStatus?: TektonTaskRunStatus[];
  sandbox?: 'bubblewrap' | 'none' | 'kubernetes';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function stepState(
  step: StepOutcome,
  image?: string,
  resultTypes: Readonly<Record<string, ResultType>> = {},
): TektonStepState {
  return {
    name: step.name,
    container: `step-${step.name}`,
    ...(image ? { imageID: image } : {}),
    terminated: {
      exitCode: step.exitCode ?? -1,
      reason: step.reason,
      message: step.message,
      startedAt: iso(step.startedAt),
      finishedAt: iso(step.finishedAt),
    },
    ...(step.results && Object.keys(step.results).length > 0
      ? { results: typedResults(step.results, resultTypes) }
      : {}),
  };
}

function typedResults(
  raw: Readonly<Record<string, string>>,
  types: Readonly<Record<string, ResultType>>,
): TektonResult[] {
  return Object.entries(raw).map(([name, text]) => {
    const type = types[name] ?? 'string';
    return { name, type, value: resultValue(text, type) };
  });
}

/** The status of a TaskRun that was just created and waits for a worker. */
export function pendingTaskRunStatus(
  now: Date,
  reason: typeof TaskRunReason.Pending | typeof TaskRunReason.Started = TaskRunReason.Pending,
): TektonTaskRunStatus {
  return {
    conditions: [
      taskRunCondition('pending', reason, reason === TaskRunReason.Pending ? 'Waiting for a worker' : 'Running', now),
    ],
    podName: '',
    steps: [],
    results: [],
  };
}

/** Result values are verbatim strings; declared array and object results are JSON and parsed back. */
function resultValue(raw: string, type: ResultType): unknown {
  if (type === 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export function finishedTaskRunStatus(
  outcome: TaskRunOutcome,
  startedAt: Date,
  finishedAt: Date,
  resultTypes: Record<string, ResultType>,
  images: Record<string, string | undefined> = {},
  /** Declared step result types by step name. */
  stepResultTypes: Readonly<Record<string, Readonly<Record<string, ResultType>>>> = {},
): TektonTaskRunStatus {
  return {
    conditions: [taskRunCondition(finishedTaskRunState(outcome), outcome.reason, outcome.message, finishedAt)],
    podName: '',
    startTime: startedAt.toISOString(),
    completionTime: finishedAt.toISOString(),
    steps: outcome.steps.map((s) => stepState(s, images[s.name], stepResultTypes[s.name])),
    results: typedResults(outcome.results, resultTypes),
    sandbox: outcome.sandbox,
  };
}
