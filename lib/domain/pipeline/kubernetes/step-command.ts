/**
 * A step container's command line: Tekton's entrypoint binary with the flags upstream's orderContainers
 * (pkg/pod/entrypoint.go) writes, then `--` and the step's own command and args.
 */
import { formatGoDuration } from '../duration';
import type { StepPlan } from '../task-run-plan';
import { DOWNWARD_DIR, ENTRYPOINT_BINARY, RUN_DIR, TERMINATION_PATH } from './pod-paths';
import {
  lateScriptCommand,
  LATE_SCRIPT_ENV,
  mentionsStepResults,
  scriptWithShebang,
  type ScriptPlacer,
} from './scripts';

/** An image's own ENTRYPOINT and CMD (its OCI config), keyed by the image reference as the plan writes it. */
export type ImageCommands = Readonly<Record<string, { entrypoint: readonly string[]; cmd: readonly string[] }>>;

export interface ResolvedCommand {
  /** What the entrypoint runs: `-entrypoint <command[0]> -- <command[1:]> <args>`. */
  command: string[];
  args: string[];
  /** Env the command needs (a script with step results in it, see lateScriptCommand). */
  env?: { name: string; value: string }[];
}

/**
 * What a step (or sidecar) runs: its script's file, its command, or else its image's ENTRYPOINT and CMD as
 * upstream's entrypoint lookup resolves them (ENTRYPOINT plus CMD when the step has no args; CMD when the
 * image has no ENTRYPOINT).
 */
export function resolveCommand(
  step: Pick<StepPlan, 'script' | 'command' | 'args' | 'image'>,
  scriptName: string,
  index: number,
  scripts: ScriptPlacer,
  imageCommands: ImageCommands,
  late = true,
): ResolvedCommand | { problem: string } {
  const args = step.args ?? [];
  if (step.script !== undefined && step.script !== '') {
    if (late && mentionsStepResults(step.script)) {
      const wrapper = lateScriptCommand(index);
      return {
        command: [wrapper.entrypoint],
        args: [...wrapper.args, ...args],
        env: [{ name: LATE_SCRIPT_ENV, value: scriptWithShebang(step.script) }],
      };
    }
    return { command: [scripts.place(step.script, scriptName)], args };
  }
  if (step.command?.length) return { command: [...step.command], args };
  const image = step.image ?? '';
  const known = imageCommands[image];
  if (!known) {
    return {
      problem: `has no command or script, and the ENTRYPOINT of image "${image}" was not looked up: give the step a command or script, or check that the image exists`,
    };
  }
  const resolved = known.entrypoint.length
    ? args.length
      ? [...known.entrypoint]
      : [...known.entrypoint, ...known.cmd]
    : [...known.cmd];
  if (resolved.length === 0) {
    return {
      problem: `has no command or script, and image "${image}" has neither ENTRYPOINT nor CMD: give the step a command or script`,
    };
  }
  return { command: resolved, args };
}

export interface EntrypointFlags {
  index: number;
  /** The first step waits for the pod's ready annotation (sidecars are ready), projected through the Downward API. */
  waitForReady: boolean;
  /** Task results the steps write to /tekton/results (those without a `value`). */
  taskResults: readonly string[];
}

/** The entrypoint's arguments for step `index`, in upstream's order. */
export function entrypointArgs(step: StepPlan, flags: EntrypointFlags, run: ResolvedCommand): string[] {
  const { index } = flags;
  const out: string[] = [];
  if (index === 0) {
    if (flags.waitForReady) out.push('-wait_file', `${DOWNWARD_DIR}/ready`, '-wait_file_content');
  } else {
    out.push('-wait_file', `${RUN_DIR}/${index - 1}/out`);
  }
  out.push(
    '-post_file',
    `${RUN_DIR}/${index}/out`,
    '-termination_path',
    TERMINATION_PATH,
    '-step_metadata_dir',
    `${RUN_DIR}/${index}/status`,
  );
  if (step.onError === 'continue') out.push('-on_error', 'continue');
  if (step.timeoutMs && step.timeoutMs > 0) out.push('-timeout', formatGoDuration(step.timeoutMs));
  if (step.stdoutPath) out.push('-stdout_path', step.stdoutPath);
  if (step.stderrPath) out.push('-stderr_path', step.stderrPath);
  if (step.results?.length) out.push('-step_results', step.results.map((r) => r.name).join(','));
  if (step.when?.length) {
    out.push(
      '--when_expressions',
      JSON.stringify(step.when.map((w) => ({ input: w.input, operator: w.operator, values: w.values }))),
    );
  }
  if (flags.taskResults.length) out.push('-results', flags.taskResults.join(','));
  out.push('-entrypoint', run.command[0], '--', ...run.command.slice(1), ...run.args);
  return out;
}

export { ENTRYPOINT_BINARY };
