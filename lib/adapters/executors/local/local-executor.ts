import { lchownSync } from 'node:fs';
import path from 'node:path';
import { sidecarContainerName } from '../../../domain/pipeline/resolve-volumes';
import { applyStepResults, stepResultScope, taskResultsFromSteps } from '../../../domain/pipeline/step-results';
import { stepWhenSkip } from '../../../domain/pipeline/step-when';
import type {
  ExecutionHooks,
  StepOutcome,
  TaskRunExecutor,
  TaskRunOutcome,
  TaskRunPlan,
} from '../../../domain/pipeline/task-run-plan';
import type { SandboxSupport } from './detect-bwrap';
import { endBeforeStep, HookQueue, skippedStep } from './run-control';
import { LogBatcher } from '../shared/log-batcher';
import { createMasker } from '../shared/mask-secrets';
import { pathMappings, runFolders, subfolders } from './path-rewrite';
import { sharedWorkspaces, withStepWorkspaces } from './step-workspaces';
import { DEFAULT_PATH, type StepContext } from './prepare-step';
import type { LocalHost } from './local-host';
import { collectResults } from './results';
import { adoptWorkspaces, makeStepResultsFolder, prepareWorkspaceFolders } from './workspace-folders';
import { runStep, type StepEnd } from './run-step';
import { localRefusal, prepareVolumes, withStepVolumes } from './volumes';
import { failingOnFullDisk } from './disk-full';
import { hidingHostPaths } from './shown-paths';
import { sidecarMountRace, startSidecars, type RunningSidecars } from './sidecars';
import { sandboxFailure, sandboxProblem, stepResolvConf, writeStepGitConfig } from './sandbox-policy';
import type { StepNetwork } from './step-network';
import { stepUser, type StepUser } from './step-user';

export interface LocalExecutorOptions {
  /** Where bubblewrap lives; found on PATH when not given. */
  bwrapPath?: string;
  /**
   * Run steps as plain processes when no sandbox works (KEELSON_ALLOW_UNSANDBOXED). Without it, a
   * TaskRun on a worker without a working sandbox fails with a reason that says how to fix that.
   */
  allowUnsandboxed?: boolean;
  /** Run plain processes even where bubblewrap works; only with `allowUnsandboxed` (tests, benchmarks). */
  forceFallback?: boolean;
  /** Steps' network (KEELSON_STEP_NETWORK): the TaskRun's own namespace with outbound access (default), or loopback only. */
  stepNetwork?: 'outbound' | 'none';
  /** IPv4 ranges steps never reach, besides loopback, link-local and the host's own addresses (KEELSON_STEP_DENY_CIDRS). */
  stepDenyCidrs?: readonly string[];
  /** Host user steps run as when Keelson runs as root (KEELSON_STEP_USER, default keelson-step). */
  stepUser?: string;
  /**
   * TaskRun networks kept ready (KEELSON_STEP_NETWORK=outbound), so a TaskRun does not wait for one;
   * default 16, two fan-outs of 8 (each is an idle `sleep` and an idle slirp4netns).
   */
  networkPoolSize?: number;
  /** How long a log line may wait before it is handed to `onLogs` (default 100 ms, at most 250). */
  flushIntervalMs?: number;
  /** PATH a step starts with, before its own env; defaults to the worker's PATH (the host's searchPath). */
  path?: string;
  /**
   * Host paths a sandboxed step may read, bound read-only at the same path (e.g. local git repos to
   * clone, or a toolchain under /root). Absent paths are skipped. From KEELSON_SANDBOX_READONLY_PATHS.
   */
  extraReadOnlyPaths?: readonly string[];
  /** Absolute host folders steps must never see even when a system folder holds them (the data dir). */
  hiddenPaths?: readonly string[];
  /** Told about failing hooks and log sinks, which never fail a TaskRun. Default: console.error. */
  onHookError?: (error: unknown) => void;
}

export interface SandboxStatus {
  sandbox: 'bubblewrap' | 'none';
  /** Why steps run without a sandbox; show it to the user. */
  warning?: string;
  /** Why steps do not run at all here, and how to fix it; show it at start-up. */
  error?: string;
  /** The host user steps run as, when Keelson runs as root. */
  user?: string;
  network?: 'outbound' | 'none';
}

export interface LocalExecutor extends TaskRunExecutor {
  readonly kind: 'local';
  /** The isolation runs get on this worker, with a warning when it is none. */
  sandboxStatus(): Promise<SandboxStatus>;
}

const SUCCESS_MESSAGE = 'All Steps have completed executing';

/**
 * Runs TaskRun plans as local processes, each step inside bubblewrap when it is available. `host`: the
 * worker process's spawner helper, ready folders and networks (one per process, see local-host.ts).
 */
export function createLocalExecutor(host: LocalHost, options: LocalExecutorOptions = {}): LocalExecutor {
  const flushIntervalMs = Math.min(Math.max(options.flushIntervalMs ?? 100, 1), 250);
  const reportError =
    options.onHookError ?? ((error: unknown) => console.error('[keelson local executor] hook failed:', error));
  // The spawner helper starts now, not when the first step would wait for it.
  host.spawner.warm();

  const network = options.stepNetwork ?? 'outbound';
  let user: StepUser | undefined | null = null;
  const userOf = () => (user === null ? (user = stepUser(options.stepUser ?? 'keelson-step', reportError)) : user);
  const support = async (): Promise<SandboxSupport> =>
    options.forceFallback && options.allowUnsandboxed
      ? { available: false, reason: 'the sandbox is turned off (forceFallback)' }
      : host.sandboxSupport(options.bwrapPath, options.extraReadOnlyPaths ?? [], userOf());
  /** The pool of ready TaskRun networks, when steps get an outbound network here. */
  const networks = (s: SandboxSupport, runAs: StepUser | undefined) =>
    s.available && network === 'outbound' && 'tools' in s.network
      ? host.networks.pool(s.network.tools, runAs, options.networkPoolSize ?? 16, options.stepDenyCidrs ?? [])
      : undefined;

  const local: LocalExecutor = {
    kind: 'local',
    async sandboxStatus() {
      const s = await support();
      const problem = sandboxProblem(s, network, options.allowUnsandboxed === true);
      if (problem) return { sandbox: 'none', error: problem };
      if (!s.available)
        return {
          sandbox: 'none',
          warning: `Steps run without a sandbox (KEELSON_ALLOW_UNSANDBOXED=true): ${s.reason}.`,
        };
      // Asked at start-up: the first TaskRuns find their networks ready.
      networks(s, s.drop ? userOf() : undefined)?.refill();
      return { sandbox: 'bubblewrap', user: userOf()?.name, network };
    },
    async run(plan: TaskRunPlan, workDir: string, hooks: ExecutionHooks): Promise<TaskRunOutcome> {
      const deadline = plan.timeoutMs && plan.timeoutMs > 0 ? Date.now() + plan.timeoutMs : undefined;
      const folders = runFolders(workDir);
      const sandbox = await support();
      const problem = sandboxProblem(sandbox, network, options.allowUnsandboxed === true);
      if (problem) return sandboxFailure(plan, problem, 'none');
      const mode = sandbox.available ? 'bubblewrap' : 'none';
      // What only an executor that runs images provides (an image's entrypoint, sidecars, a PVC volume) fails before any step.
      const refusal = localRefusal(plan, mode === 'bubblewrap' && network === 'none');
      if (refusal) return { ...sandboxFailure(plan, refusal.message, mode), reason: refusal.reason };
      const raced =
        sandbox.available && plan.sidecars?.length ? sidecarMountRace(plan, folders, sandbox.readOnly) : undefined;
      if (raced) return { ...sandboxFailure(plan, raced, mode), reason: 'SidecarsUnsupported' };
      // Workspace folders are made from their volume's root without following symlinks (issue 10, hole 2).
      const unsafeWorkspace = prepareWorkspaceFolders(plan.workspaces);
      if (unsafeWorkspace) return sandboxFailure(plan, unsafeWorkspace, mode);
      const drop = sandbox.available ? sandbox.drop : undefined;
      const runAs = drop ? userOf() : undefined;
      // Usually ready in the pool; else opened while the folders are made and the first step is prepared.
      const opening = networks(sandbox, runAs)?.take();
      void opening?.catch(() => undefined);
      // Synchronous, like preparing a step, and after the await: the TaskRuns of a fan-out then each
      // get their folders and send their first step to the spawner in turn, so the first sandbox
      // starts while the next TaskRun is being prepared.
      host.folders.take(folders.root, subfolders(folders));
      if (sandbox.available) writeStepGitConfig(folders.scripts);
      if (runAs) {
        // The step user writes these; the run's root folder and its scripts stay root's.
        for (const dir of [folders.workspace, folders.results, folders.steps, folders.home, folders.tmp])
          lchownSync(dir, runAs.uid, runAs.gid);
        const refused = adoptWorkspaces(plan.workspaces, runAs);
        if (refused) return sandboxFailure(plan, refused, mode);
      }
      const unmade = prepareVolumes(plan, folders, runAs);
      if (unmade) return sandboxFailure(plan, unmade, mode);
      const resolv = opening ? stepResolvConf(folders.root, host.loopbackResolver()) : undefined;
      const ctx: StepContext = {
        mode,
        folders,
        mappings: [
          // Isolated workspaces (a step's `workspaces`) are added per step, for the steps that list them.
          ...pathMappings(folders, sharedWorkspaces(plan.workspaces)),
          ...(resolv ? [{ container: '/etc/resolv.conf', host: resolv, readOnly: true }] : []),
        ],
        system: sandbox.available ? sandbox.system : [],
        readOnly: sandbox.available ? sandbox.readOnly : [],
        hidden: options.hiddenPaths,
        basePath: options.path ?? (host.searchPath || DEFAULT_PATH),
        drop,
        network: network === 'none' ? 'none' : 'inherit',
      };
      let net: StepNetwork | undefined;
      let sidecars: RunningSidecars | string | undefined;
      try {
        net = await opening;
      } catch (error) {
        return sandboxFailure(
          plan,
          `Steps cannot run: the TaskRun's network could not be set up (${(error as Error).message}). Set KEELSON_STEP_NETWORK=none to run steps without a network.`,
          mode,
        );
      }
      try {
        const mask = createMasker(plan.secretsToMask);
        const logs = new LogBatcher((lines) => hooks.onLogs(lines), flushIntervalMs, reportError);
        const hookQueue = new HookQueue(reportError);

        const steps: StepOutcome[] = [];
        /** Step results written so far, by step name: later steps and the task's results read them. */
        const written: Record<string, Record<string, string>> = {};
        let end: StepEnd | undefined;
        if (plan.sidecars?.length) {
          sidecars = await startSidecars({
            plan,
            ctx,
            spawner: host.spawner,
            bwrapPath: sandbox.available ? sandbox.bwrapPath : undefined,
            enterNetwork: () => net?.enter(),
            emit: (line, name) => logs.add({ ...line, step: sidecarContainerName(name), text: mask(line.text) }),
          });
          if (typeof sidecars === 'string') end = { reason: 'Failed', message: mask(sidecars) };
        }
        for (const [index, step] of plan.steps.entries()) {
          end ??= endBeforeStep(plan, hooks.signal, deadline);
          if (end) {
            steps.push(skippedStep(step.name));
            continue;
          }
          const resultsDir = path.join(folders.steps, `step-${step.name}`, 'results');
          if (step.results?.length) {
            const refused = makeStepResultsFolder(folders, step.name, runAs);
            if (refused) {
              end = { reason: 'Failed', message: refused };
              steps.push(skippedStep(step.name, refused));
              continue;
            }
          }
          const broken = net?.broken();
          if (broken) {
            end = { reason: 'Failed', message: `step "${step.name}" did not run: ${broken}` };
            steps.push(skippedStep(step.name, end.message));
            continue;
          }
          const ready = applyStepResults(step, stepResultScope(plan.steps, written));
          // A step whose `when` does not hold is skipped; the TaskRun goes on (Tekton's step when expressions).
          const skip = stepWhenSkip(ready);
          if (skip) {
            const outcome = skippedStep(step.name, skip);
            hookQueue.push(() => hooks.onStepFinished?.(outcome));
            steps.push(outcome);
            continue;
          }
          const ran = await runStep({
            spawner: host.spawner,
            step: ready,
            index,
            ctx: {
              ...ctx,
              mappings: withStepVolumes(withStepWorkspaces(ctx.mappings, step, plan.workspaces), step, plan, folders),
            },
            bwrapPath: sandbox.available ? sandbox.bwrapPath : undefined,
            enterNetwork: net?.enter(),
            taskRunName: plan.taskRunName,
            deadline,
            timeoutMs: plan.timeoutMs,
            signal: hooks.signal,
            emit: (line) => logs.add({ ...line, step: step.name, text: mask(line.text) }),
            onStarted: (at) => hookQueue.push(() => hooks.onStepStarted?.(step.name, at)),
          });
          logs.flush();
          const outcome: StepOutcome = ran.outcome.message
            ? { ...ran.outcome, message: mask(ran.outcome.message) }
            : { ...ran.outcome };
          end = ran.end && { ...ran.end, message: mask(ran.end.message) };
          if (step.results?.length) {
            const own = await collectResults(
              resultsDir,
              step.results.map((r) => r.name),
              folders.steps,
            );
            written[step.name] = outcome.results = own.results;
            if (!end && own.error) end = { reason: 'Failed', message: `step "${step.name}": ${own.error}` };
          }
          hookQueue.push(() => hooks.onStepFinished?.(outcome));
          steps.push(outcome);
        }

        if (typeof sidecars === 'object') await sidecars.stop();
        const collected = await collectResults(folders.results, plan.resultNames);
        Object.assign(
          collected.results,
          taskResultsFromSteps(plan.resultsFromSteps ?? [], stepResultScope(plan.steps, written)),
        );
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
      } finally {
        // Also when a step threw: a sidecar never outlives its TaskRun.
        if (typeof sidecars === 'object') await sidecars.stop();
        // Never used again; the TaskRun does not wait for its processes to end.
        void net?.close();
      }
    },
  };
  // Messages and logs name paths as the step sees them, never the worker's folders (issue 13); a full disk fails the
  // TaskRun it hit (TaskRunDiskFull), and the worker's log names the real folder.
  const run = failingOnFullDisk(local.run, (line) => console.error(line));
  return { ...local, run: hidingHostPaths(run, options.hiddenPaths ?? []) };
}
