import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { applyStepResults, stepResultScope, taskResultsFromSteps } from '../../../domain/pipeline/step-results';
import type { ExecutionHooks, StepOutcome, TaskRunExecutor, TaskRunOutcome, TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import { detectBwrap, type SandboxSupport } from './detect-bwrap';
import { sharedFolderPool } from './folder-pool';
import { formatDuration } from './format';
import { LogBatcher } from './log-batcher';
import { createMasker } from './mask-secrets';
import { pathMappings, runFolders, subfolders } from './path-rewrite';
import { DEFAULT_PATH, type StepContext } from './prepare-step';
import { collectResults } from './results';
import { warmUpProcessRunner } from './run-process';
import { runStep, type StepEnd } from './run-step';

export interface LocalExecutorOptions {
  /** Where bubblewrap lives; found on PATH when not given. */
  bwrapPath?: string;
  /** Run plain child processes even where bubblewrap works. */
  forceFallback?: boolean;
  /** How long a log line may wait before it is handed to `onLogs` (default 100 ms, at most 250). */
  flushIntervalMs?: number;
  /** PATH a step starts with, before its own env; defaults to the worker's PATH. */
  path?: string;
  /**
   * Host paths a sandboxed step may read, bound read-only at the same path (e.g. local git repos to
   * clone, or a toolchain under /root). Absent paths are skipped. From KEELSON_SANDBOX_READONLY_PATHS.
   */
  extraReadOnlyPaths?: readonly string[];
  /** Told about failing hooks and log sinks, which never fail a TaskRun. Default: console.error. */
  onHookError?: (error: unknown) => void;
}

export interface SandboxStatus {
  sandbox: 'bubblewrap' | 'none';
  /** Why steps run without a sandbox; show it to the user. */
  warning?: string;
}

export interface LocalExecutor extends TaskRunExecutor {
  readonly kind: 'local';
  /** The isolation runs get on this worker, with a warning when it is none. */
  sandboxStatus(): Promise<SandboxStatus>;
}

const SUCCESS_MESSAGE = 'All Steps have completed executing';

/** Runs TaskRun plans as local processes, each step inside bubblewrap when it is available. */
export function createLocalExecutor(options: LocalExecutorOptions = {}): LocalExecutor {
  const flushIntervalMs = Math.min(Math.max(options.flushIntervalMs ?? 100, 1), 250);
  const reportError = options.onHookError ?? ((error: unknown) => console.error('[keelson local executor] hook failed:', error));
  warmUpProcessRunner();

  const support = async (): Promise<SandboxSupport> =>
    options.forceFallback ? { available: false, reason: 'the sandbox is turned off (forceFallback)' } : detectBwrap(options.bwrapPath, options.extraReadOnlyPaths);

  return {
    kind: 'local',
    async sandboxStatus() {
      const s = await support();
      return s.available ? { sandbox: 'bubblewrap' } : { sandbox: 'none', warning: `Steps run without a sandbox: ${s.reason}.` };
    },
    async run(plan: TaskRunPlan, workDir: string, hooks: ExecutionHooks): Promise<TaskRunOutcome> {
      const deadline = plan.timeoutMs && plan.timeoutMs > 0 ? Date.now() + plan.timeoutMs : undefined;
      const folders = runFolders(workDir);
      const sandbox = await support();
      // Synchronous, like preparing a step, and after the await: the TaskRuns of a fan-out then each
      // get their folders and send their first step to the spawner in turn, so the first sandbox
      // starts while the next TaskRun is being prepared.
      sharedFolderPool().take(folders.root, subfolders(folders));
      for (const w of plan.workspaces) mkdirSync(w.hostPath, { recursive: true });
      const ctx: StepContext = {
        mode: sandbox.available ? 'bubblewrap' : 'none',
        folders,
        mappings: pathMappings(folders, plan.workspaces),
        system: sandbox.available ? sandbox.system : [],
        readOnly: sandbox.available ? sandbox.readOnly : [],
        basePath: options.path ?? process.env.PATH ?? DEFAULT_PATH,
      };
      const mask = createMasker(plan.secretsToMask);
      const logs = new LogBatcher((lines) => hooks.onLogs(lines), flushIntervalMs, reportError);
      const hookQueue = new HookQueue(reportError);

      const steps: StepOutcome[] = [];
      /** Step results written so far, by step name: later steps and the task's results read them. */
      const written: Record<string, Record<string, string>> = {};
      let end: StepEnd | undefined;
      for (const [index, step] of plan.steps.entries()) {
        end ??= endBeforeStep(plan, hooks.signal, deadline);
        if (end) {
          steps.push({ name: step.name, exitCode: null, startedAt: null, finishedAt: null, reason: 'Skipped' });
          continue;
        }
        const resultsDir = path.join(folders.steps, `step-${step.name}`, 'results');
        if (step.results?.length) mkdirSync(resultsDir, { recursive: true });
        const ran = await runStep({
          step: applyStepResults(step, stepResultScope(plan.steps, written)),
          index,
          ctx,
          bwrapPath: sandbox.available ? sandbox.bwrapPath : undefined,
          taskRunName: plan.taskRunName,
          deadline,
          timeoutMs: plan.timeoutMs,
          signal: hooks.signal,
          emit: (line) => logs.add({ ...line, step: step.name, text: mask(line.text) }),
          onStarted: (at) => hookQueue.push(() => hooks.onStepStarted?.(step.name, at)),
        });
        logs.flush();
        const outcome: StepOutcome = ran.outcome.message ? { ...ran.outcome, message: mask(ran.outcome.message) } : { ...ran.outcome };
        end = ran.end && { ...ran.end, message: mask(ran.end.message) };
        if (step.results?.length) {
          const own = await collectResults(resultsDir, step.results.map((r) => r.name));
          written[step.name] = outcome.results = own.results;
          if (!end && own.error) end = { reason: 'Failed', message: `step "${step.name}": ${own.error}` };
        }
        hookQueue.push(() => hooks.onStepFinished?.(outcome));
        steps.push(outcome);
      }

      const collected = await collectResults(folders.results, plan.resultNames);
      Object.assign(collected.results, taskResultsFromSteps(plan.resultsFromSteps ?? [], stepResultScope(plan.steps, written)));
      if (!end && collected.error) end = { reason: 'Failed', message: collected.error };
      await Promise.all([logs.drain(), hookQueue.drain()]);
      return {
        status: end ? 'Failed' : 'Succeeded',
        reason: end ? end.reason : 'Succeeded',
        message: end ? end.message : SUCCESS_MESSAGE,
        steps,
        results: collected.results,
        sandbox: ctx.mode,
      };
    },
  };
}

function endBeforeStep(plan: TaskRunPlan, signal: AbortSignal | undefined, deadline: number | undefined): StepEnd | undefined {
  if (signal?.aborted) return { reason: 'TaskRunCancelled', message: `TaskRun "${plan.taskRunName}" was cancelled` };
  if (deadline !== undefined && Date.now() >= deadline) {
    return { reason: 'TaskRunTimeout', message: `TaskRun "${plan.taskRunName}" failed to finish within "${formatDuration(plan.timeoutMs ?? 0)}"` };
  }
  return undefined;
}

/** Calls hooks one after another without making the steps wait for them. */
class HookQueue {
  private chain: Promise<void> = Promise.resolve();
  constructor(private readonly onError: (error: unknown) => void) {}
  push(call: () => Promise<void> | void): void {
    this.chain = this.chain.then(async () => {
      try {
        await call();
      } catch (error) {
        this.onError(error);
      }
    });
  }
  drain(): Promise<void> {
    return this.chain;
  }
}
