import type { LogLine, StepOutcome, StepPlan } from '../../../domain/pipeline/task-run-plan';
import { buildBwrapArgs, type BwrapSpec } from './bwrap-args';
import { isRoot } from './detect-bwrap';
import { formatGoDuration } from '../../../domain/pipeline/duration';
import { prepareStep, type PreparedStep, type StepContext } from './prepare-step';
import type { PathMapping } from './path-rewrite';
import { runProcess, type ProcessEnd, type ProcessSpec } from './run-process';
import type { Spawner } from './spawner';
import type { NetworkEntry } from './spawner-channel';
import { UnsafePathError, writeFileSafely } from './safe-path';
import { pinWorkspaceMounts } from './workspace-folders';
import { splitHostEnv, withLateEnv } from './host-safe-env';
import { openStepOutputs } from './step-output';

export interface StepRunInput {
  /** Starts the step's process (the worker's spawner helper). */
  spawner: Spawner;
  step: StepPlan;
  index: number;
  ctx: StepContext;
  bwrapPath?: string;
  /** The TaskRun's network namespace, if it has one. */
  enterNetwork?: NetworkEntry;
  taskRunName: string;
  /** Epoch ms by which the whole TaskRun must end. */
  deadline?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  emit(line: Omit<LogLine, 'step'>): void;
  onStarted(at: Date): void;
}

/** How the TaskRun ends because of this step; undefined means go on with the next step. */
export interface StepEnd {
  reason: 'Failed' | 'TaskRunTimeout' | 'TaskRunCancelled';
  message: string;
}

/** Runs one step to its end and says what that means for the TaskRun. Never throws for the step's own failure. */
export async function runStep(input: StepRunInput): Promise<{ outcome: StepOutcome; end?: StepEnd }> {
  const { step, ctx } = input;
  const prepared = prepareStep(step, input.index, ctx);
  const sandbox = ctx.mode === 'bubblewrap' ? input.bwrapPath : undefined;
  // Workspace folders held open from the check to the bind (issue 10, hole 2: no swap in between).
  const pinned = prepared.ok && sandbox ? pinWorkspaceMounts(ctx.mappings) : undefined;
  // stdoutConfig / stderrConfig files, opened (created or truncated) before the step starts.
  const outputs = prepared.ok && typeof pinned !== 'string' ? openStepOutputs(step, ctx.mappings, ctx.drop) : undefined;
  const refused = !prepared.ok
    ? prepared
    : typeof pinned === 'string'
      ? { exitCode: 1, message: pinned }
      : typeof outputs === 'string'
        ? { exitCode: 1, message: outputs }
        : undefined;
  if (refused && typeof pinned === 'object') pinned.release();
  let startedAt = new Date();
  let result: ProcessEnd;
  let detail: string | undefined;
  let taskLimited = false;
  let copyFailure: string | undefined;
  if (refused || !prepared.ok) {
    const message = refused?.message ?? '';
    input.onStarted(startedAt);
    input.emit({ stream: 'stderr', at: startedAt, text: message });
    result = { exitCode: refused?.exitCode ?? 1 };
    detail = message;
  } else {
    const remaining = input.deadline !== undefined ? input.deadline - Date.now() : undefined;
    const own = step.timeoutMs && step.timeoutMs > 0 ? step.timeoutMs : undefined;
    taskLimited = remaining !== undefined && (own === undefined || remaining < own);
    const spec = processSpec(
      ctx,
      prepared,
      sandbox,
      input.enterNetwork,
      typeof pinned === 'object' ? pinned.mappings : ctx.mappings,
    );
    let announced = false;
    const announce = (at: Date) => {
      if (announced) return;
      announced = true;
      startedAt = at;
      input.onStarted(at);
    };
    try {
      result = await runProcess(input.spawner, spec, {
        timeoutMs: taskLimited ? remaining : own,
        signal: input.signal,
        onSpawn: announce,
        onLine: (stream, text, at) => input.emit({ stream, text, at }),
        ...(typeof outputs === 'object' ? { onData: (stream, chunk) => outputs.write(stream, chunk) } : {}),
      });
    } finally {
      if (typeof pinned === 'object') pinned.release();
      copyFailure = typeof outputs === 'object' ? await outputs.close() : undefined;
    }
    announce(startedAt);
    if (result.spawnError) {
      detail = `could not start "${prepared.argv[0]}": ${result.spawnError.message}`;
      input.emit({ stream: 'stderr', at: new Date(), text: detail });
    } else if (copyFailure) {
      // The step's promised output file misses output: the step fails, as the entrypoint's would.
      detail = copyFailure;
      input.emit({ stream: 'stderr', at: new Date(), text: detail });
      if (result.exitCode === 0 && !result.stoppedBy) result = { ...result, exitCode: 1 };
    }
  }
  const finishedAt = new Date();
  const unwritten = writeExitCode(ctx, step.name, result.exitCode);
  if (unwritten) input.emit({ stream: 'stderr', at: finishedAt, text: unwritten });
  return judge(input, { startedAt, finishedAt, result, detail, taskLimited });
}

/** How a prepared step (or sidecar) is started: inside bubblewrap with `mounts`, or as a plain process. */
export function processSpec(
  ctx: StepContext,
  prepared: PreparedStep,
  bwrapPath: string | undefined,
  enterNetwork: NetworkEntry | undefined,
  mounts: readonly PathMapping[],
): ProcessSpec {
  if (!bwrapPath)
    return { file: prepared.argv[0], args: prepared.argv.slice(1), env: prepared.env, cwd: prepared.workingDir };
  return sandboxed(
    bwrapPath,
    enterNetwork,
    {
      system: ctx.system,
      readOnly: ctx.readOnly,
      hidden: ctx.hidden,
      mounts,
      tmpHost: ctx.folders.tmp,
      workingDir: prepared.workingDir,
      createWorkingDir: prepared.createWorkingDir,
      dropCapabilities: isRoot(),
      drop: ctx.drop,
      network: ctx.network ?? 'inherit',
      command: prepared.argv,
    },
    prepared.env,
    ctx.folders.root,
  );
}

/**
 * bubblewrap's command line, run inside the TaskRun's network namespace when it has one; the
 * workspace folders held open (--bind-fd) are handed to it (`fdArgs`).
 */
export function sandboxed(
  bwrap: string,
  network: NetworkEntry | undefined,
  spec: BwrapSpec,
  env: Record<string, string>,
  cwd: string,
): ProcessSpec {
  // Loader variables reach only the step's own command, never the host-side programs (issue 10 review: LD_PRELOAD ran as root in bwrap).
  const { host, late } = splitHostEnv(env);
  const args = buildBwrapArgs({ ...spec, command: withLateEnv(spec.command, late) });
  // bubblewrap's own options, up to its `--`: where it takes a descriptor.
  const end = args.indexOf('--');
  const fdArgs = args.flatMap((a, i) => (i < end && (a === '--bind-fd' || a === '--ro-bind-fd') ? [i + 1] : []));
  return { file: bwrap, args, env: host, cwd, ...(fdArgs.length ? { fdArgs } : {}), ...(network ? { network } : {}) };
}

function judge(
  input: StepRunInput,
  run: { startedAt: Date; finishedAt: Date; result: ProcessEnd; detail?: string; taskLimited: boolean },
): { outcome: StepOutcome; end?: StepEnd } {
  const { step } = input;
  const base = { name: step.name, exitCode: run.result.exitCode, startedAt: run.startedAt, finishedAt: run.finishedAt };
  if (run.result.stoppedBy === 'cancel') {
    const message = `TaskRun "${input.taskRunName}" was cancelled while step "${step.name}" was running`;
    return { outcome: { ...base, reason: 'Cancelled', message }, end: { reason: 'TaskRunCancelled', message } };
  }
  if (run.result.stoppedBy === 'timeout') {
    const message = run.taskLimited
      ? `TaskRun "${input.taskRunName}" failed to finish within "${formatGoDuration(input.timeoutMs ?? 0)}"; step "${step.name}" was killed`
      : `step "${step.name}" timed out after ${formatGoDuration(step.timeoutMs ?? 0)}`;
    return { outcome: { ...base, reason: 'TimedOut', message }, end: { reason: 'TaskRunTimeout', message } };
  }
  if (run.result.exitCode === 0) return { outcome: { ...base, reason: 'Completed' } };
  const exited = `"${step.name}" exited with code ${run.result.exitCode}${run.detail ? `: ${run.detail}` : ''}`;
  if (step.onError === 'continue')
    return { outcome: { ...base, reason: 'Error', message: `${exited} (onError: continue)` } };
  return { outcome: { ...base, reason: 'Error', message: exited }, end: { reason: 'Failed', message: exited } };
}

/**
 * Where `$(steps.step-<name>.exitCode.path)` points; Tekton writes the bare number. Returns why it
 * could not be written, if it could not: the TaskRun records the exit code all the same.
 */
function writeExitCode(ctx: StepContext, name: string, exitCode: number): string | undefined {
  // Never through a symlink an earlier step planted at /tekton/steps/step-<name> (issue 10, hole 2),
  // nor into a FIFO (issue 13, F4): the file is opened without blocking and must be a regular file.
  try {
    writeFileSafely(ctx.folders.steps, [`step-${name}`], 'exitCode', String(exitCode));
    return undefined;
  } catch (error) {
    if (!(error instanceof UnsafePathError)) throw error;
    // The host's folders are no business of the step's: name the path as the step sees it.
    const why = error.message.split(ctx.folders.steps).join('/tekton/steps');
    return `exitCode file /tekton/steps/step-${name}/exitCode not written: ${why}`;
  }
}
