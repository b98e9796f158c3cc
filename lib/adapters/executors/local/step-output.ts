import { closeSync, writeSync } from 'node:fs';
import type { StepPlan } from '../../../domain/pipeline/task-run-plan';
import { mappingOf, type PathMapping } from './path-rewrite';
import { namesBelow, openFileSafely, UnsafePathError, type Owner } from './safe-path';

/** The files a step's stdout and stderr are copied to (Tekton's stdoutConfig / stderrConfig). */
export interface StepOutputFiles {
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  close(): void;
}

/**
 * Opens the step's `stdoutConfig.path` and `stderrConfig.path` as the entrypoint does (created, or
 * truncated), before the step starts. A path is a container path; it must lie in a folder the step
 * may write (a writable workspace or volume, `/tekton/results`, `/tekton/steps`, `/workspace`,
 * `/tekton/home`), and is reached from that folder's root without following a symlink. Both streams
 * to one path share one file. Returns why the step cannot run, if it cannot.
 */
export function openStepOutputs(
  step: Pick<StepPlan, 'stdoutPath' | 'stderrPath'>,
  mappings: readonly PathMapping[],
  owner?: Owner,
): StepOutputFiles | string | undefined {
  const wanted = { stdout: step.stdoutPath, stderr: step.stderrPath };
  if (!wanted.stdout && !wanted.stderr) return undefined;
  const fds: Partial<Record<'stdout' | 'stderr', number>> = {};
  const opened = new Map<string, number>();
  const close = () => [...opened.values()].forEach((fd) => closeSync(fd));
  for (const stream of ['stdout', 'stderr'] as const) {
    const p = wanted[stream];
    if (!p) continue;
    const field = `${stream}Config.path "${p}"`;
    const found = p.startsWith('/') ? mappingOf(p, mappings) : undefined;
    if (!found || found.mapping.readOnly || found.names.length === 0) {
      close();
      return `${field} is not a file in a folder the step can write: use $(results.<name>.path), $(step.results.<name>.path) or a path in a writable workspace`;
    }
    const root = found.mapping.root ?? found.mapping.host;
    const below = namesBelow(root, found.mapping.host);
    const names = [...(below ?? []), ...found.names];
    const key = names.join('/');
    try {
      if (!below) throw new UnsafePathError(`${found.mapping.host} lies outside ${root}`);
      const fd = opened.get(key) ?? openFileSafely(root, names.slice(0, -1), names[names.length - 1], owner);
      opened.set(key, fd);
      fds[stream] = fd;
    } catch (error) {
      close();
      if (error instanceof UnsafePathError) return `${field} cannot be written: ${error.message}`;
      throw error;
    }
  }
  return {
    write(stream, chunk) {
      const fd = fds[stream];
      if (fd !== undefined) writeSync(fd, chunk);
    },
    close,
  };
}
