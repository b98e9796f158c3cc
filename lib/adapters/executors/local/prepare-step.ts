import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { StepPlan } from '../../../domain/pipeline/task-run-plan';
import type { StepDrop, SystemEntry } from './bwrap-args';
import { findInPath, isExecutable } from './detect-bwrap';
import { CONTAINER, mappingOf, rewritePaths, toHostPath, type PathMapping, type RunFolders } from './path-rewrite';
import { makeFolders, namesBelow, UnsafePathError } from './safe-path';
import { STEP_GITCONFIG } from './sandbox-policy';
import { checkStepMounts, inSandboxTerms, tmpMapping } from './workspace-folders';

export const DEFAULT_WORKING_DIR = CONTAINER.workspace;
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Tekton's prelude for a script without a shebang. */
export const SCRIPT_PRELUDE = '#!/bin/sh\nset -e\n';

export interface StepContext {
  mode: 'bubblewrap' | 'none';
  folders: RunFolders;
  mappings: PathMapping[];
  /** Host directories visible read-only inside the sandbox. */
  system: readonly SystemEntry[];
  /** Operator-listed host paths, visible read-only at the same path inside the sandbox. */
  readOnly?: readonly string[];
  /** Host folders steps must never see, though a system folder or a read-only path contains them. */
  hidden?: readonly string[];
  basePath: string;
  /** How a sandboxed step becomes the unprivileged step user (Keelson runs as root). */
  drop?: StepDrop;
  /** `none`: loopback only; `inherit`: the TaskRun's own network, entered before bubblewrap starts. */
  network?: 'none' | 'inherit';
}

/** What to run, in the step's own terms: container paths in the sandbox, host paths in the fallback. */
export interface PreparedStep {
  ok: true;
  argv: string[];
  env: Record<string, string>;
  workingDir: string;
  /** The sandbox must create the working directory itself (it lies on the tmpfs root). */
  createWorkingDir: boolean;
}

export interface UnrunnableStep {
  ok: false;
  exitCode: number;
  message: string;
}

/**
 * Turns a step into a command line: writes its script, fills in the env, creates its working
 * directory, and checks that what it runs exists. A missing interpreter or command is an outcome
 * (exit code 127 and a message), not an exception. Synchronous: these are a few cheap syscalls, which
 * on the thread pool would each wait behind a fan-out's other TaskRuns for a turn of the event loop.
 */
export function prepareStep(step: StepPlan, index: number, ctx: StepContext): PreparedStep | UnrunnableStep {
  const fallback = ctx.mode === 'none';
  const rewrite = (text: string) => (fallback ? rewritePaths(text, ctx.mappings) : text);
  const env: Record<string, string> = {
    PATH: ctx.basePath,
    HOME: CONTAINER.home,
    ...(fallback ? { TMPDIR: ctx.folders.tmp } : { GIT_CONFIG_SYSTEM: STEP_GITCONFIG }),
    ...step.env,
  };
  for (const key of Object.keys(env)) env[key] = rewrite(env[key]);

  const unsafeMount =
    checkStepMounts(ctx.mappings, ctx.folders, !fallback, ctx.drop, fallback ? [] : ctx.readOnly) ??
    (fallback ? undefined : systemMountProblem(ctx));
  if (unsafeMount) return unrunnable(1, unsafeMount);
  const requested = step.workingDir?.trim() ? step.workingDir : DEFAULT_WORKING_DIR;
  const containerDir = path.posix.resolve(DEFAULT_WORKING_DIR, requested);
  const visibleDir = toHostPath(containerDir, ctx.mappings);
  const unsafeDir = makeWorkingDir(containerDir, ctx);
  if (unsafeDir) return unrunnable(1, unsafeDir);
  const workingDir = rewrite(containerDir);
  const inTmp = inSandboxTerms(containerDir) === '/tmp' || inSandboxTerms(containerDir).startsWith('/tmp/');
  const createWorkingDir = !fallback && visibleDir === undefined && !inTmp && !underSystem(containerDir, ctx);
  if (fallback && !existsSync(workingDir))
    return unrunnable(1, `workingDir "${containerDir}" does not exist on this worker`);

  let argv: string[];
  if (step.script !== undefined) {
    const file = writeScript(step, index, ctx.folders, rewrite(step.script));
    argv = [fallback ? file.host : file.container, ...(step.args ?? []).map(rewrite)];
    const interpreter = shebangInterpreter(file.text);
    if (interpreter !== undefined && !visibleExecutable(interpreter, ctx)) {
      return unrunnable(127, `interpreter "${interpreter}" named in the script's shebang was not found on this worker`);
    }
  } else if (step.command && step.command.length > 0) {
    argv = [...step.command, ...(step.args ?? [])].map(rewrite);
    const program = argv[0];
    if (program.includes('/')) {
      const absolute = path.posix.resolve(workingDir, program);
      if (!visibleExecutable(absolute, ctx))
        return unrunnable(127, `command "${program}" was not found or is not executable`);
    } else if (!findInPath(program, env.PATH ?? '', (dir) => visibleHostPath(dir, ctx))) {
      return unrunnable(127, `command "${program}" was not found in PATH (${env.PATH ?? ''})`);
    }
  } else {
    return unrunnable(
      127,
      'the step has neither script nor command; the local executor does not read an image entrypoint',
    );
  }
  return { ok: true, argv, env, workingDir, createWorkingDir };
}

/**
 * Makes a working directory that lies in a writable mapping on the host (in the sandbox also the
 * TaskRun's `/tmp` and `/var/tmp`), name by name from the mapping's root without following a symlink:
 * an earlier step may have planted one on the way. Bubblewrap, root, would follow it.
 */
function makeWorkingDir(containerDir: string, ctx: StepContext): string | undefined {
  const sandboxed = ctx.mode !== 'none';
  const mappings = sandboxed
    ? [...ctx.mappings, tmpMapping(ctx.folders)]
        .map((m) => ({ ...m, container: inSandboxTerms(m.container) }))
        .sort((a, b) => b.container.length - a.container.length)
    : ctx.mappings;
  const found = mappingOf(sandboxed ? inSandboxTerms(containerDir) : containerDir, mappings);
  if (!found || found.mapping.readOnly) return undefined;
  const { mapping, names } = found;
  const root = mapping.root ?? mapping.host;
  const below = namesBelow(root, mapping.host);
  try {
    if (!below) throw new UnsafePathError(`${mapping.host} lies outside ${root}`);
    makeFolders(root, [...below, ...names], ctx.drop);
    return undefined;
  } catch (error) {
    if (error instanceof UnsafePathError) return `workingDir "${containerDir}" cannot be used: ${error.message}`;
    throw error;
  }
}

function writeScript(step: StepPlan, index: number, folders: RunFolders, script: string) {
  const text = script.startsWith('#!') ? script : SCRIPT_PRELUDE + script;
  const name = `script-${index}-${step.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
  const host = path.join(folders.scripts, name);
  // Written synchronously on purpose: when steps are spawned from this thread (no spawner helper), no
  // child of a concurrent TaskRun can be forked while this file is open for writing (exec would fail with ETXTBSY).
  writeFileSync(host, text);
  chmodSync(host, 0o755);
  return { host, container: `${CONTAINER.scripts}/${name}`, text };
}

/** The interpreter path of a `#!` line; `#!/usr/bin/env python3` yields `/usr/bin/env` (env reports a missing python3 itself, with 127). */
export function shebangInterpreter(script: string): string | undefined {
  if (!script.startsWith('#!')) return undefined;
  const firstLine = script.slice(2).split('\n', 1)[0].trim();
  return firstLine.split(/[ \t]+/, 1)[0] || undefined;
}

/** Where a path the step names lives on the host, or undefined when the step could not see it. */
function visibleHostPath(stepPath: string, ctx: StepContext): string | undefined {
  if (ctx.mode === 'none') return stepPath;
  const mapped = toHostPath(stepPath, ctx.mappings);
  if (mapped) return mapped.host;
  return underSystem(stepPath, ctx) ? stepPath : undefined;
}

function visibleExecutable(stepPath: string, ctx: StepContext): boolean {
  const host = visibleHostPath(stepPath, ctx);
  return host !== undefined && isExecutable(host);
}

/**
 * A workspace or volume mounted inside a folder the sandbox shows read-only from the worker (`/etc/app`,
 * `/usr/share/x`) needs its mount point to exist there: bubblewrap cannot make one in a read-only folder.
 */
function systemMountProblem(ctx: StepContext): string | undefined {
  for (const m of ctx.mappings) {
    if (!underSystem(m.container, ctx) || existsSync(m.container)) continue;
    const top = `/${m.container.split('/')[1]}`;
    return `mountPath ${m.container} lies in ${top}, which steps see read-only from the worker, and ${m.container} does not exist there, so nothing can be mounted at it: mount it in a folder of its own, such as /config or /workspace/<name>`;
  }
  return undefined;
}

/** Whether a path lies in a host folder the sandbox shows read-only at the same place. */
function underSystem(p: string, ctx: Pick<StepContext, 'system' | 'readOnly'>): boolean {
  return [...ctx.system.map((s) => s.path), ...(ctx.readOnly ?? [])].some(
    (dir) => p === dir || p.startsWith(`${dir}/`),
  );
}

function unrunnable(exitCode: number, message: string): UnrunnableStep {
  return { ok: false, exitCode, message };
}
