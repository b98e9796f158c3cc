import { close as closeFd, closeSync, write } from 'node:fs';
import type { StepPlan } from '../../../domain/pipeline/task-run-plan';
import { mappingOf, type PathMapping } from './path-rewrite';
import { namesBelow, openFileSafely, UnsafePathError, type Owner } from './safe-path';

/** The files a step's stdout and stderr are copied to (Tekton's stdoutConfig / stderrConfig). */
export interface StepOutputFiles {
  /** Queues a copy of `chunk`; never waits for the file (issue 13, F4: the worker's thread must not stall). */
  write(stream: 'stdout' | 'stderr', chunk: Buffer): void;
  /** Waits for the queued copies, closes the files, and says why a file misses output, if it does. */
  close(): Promise<string | undefined>;
}

/** Output queued for the files and not yet written, past which the copy stops (the step then fails). */
export const MAX_PENDING_OUTPUT_BYTES = 64 * 1024 * 1024;

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
      // Named as the step sees it: the host's folders are no business of the step's.
      const why =
        error instanceof UnsafePathError && error.message.split(found.mapping.host).join(found.mapping.container);
      if (why) return `${field} cannot be written: ${why}`;
      throw error;
    }
  }
  return copier(fds, [...opened.values()], wanted);
}

/** Writes every byte of `chunk` at the file's end (it is opened O_APPEND), off the worker's thread. */
function writeAll(fd: number, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (offset: number) =>
      write(fd, chunk, offset, chunk.length - offset, null, (error, n) => {
        if (error) reject(error);
        else if (offset + n < chunk.length) from(offset + n);
        else resolve();
      });
    from(0);
  });
}

/**
 * Copies chunks to the files asynchronously, in order per file: what arrives while a write is under
 * way is written next in one piece, so the copy keeps up with a step that prints fast. What waits is
 * bounded; past the bound the copy stops and the step fails.
 */
function copier(
  fds: Partial<Record<'stdout' | 'stderr', number>>,
  all: number[],
  paths: Partial<Record<'stdout' | 'stderr', string>>,
): StepOutputFiles {
  const queues = new Map<number, Buffer[]>(all.map((fd) => [fd, []]));
  const draining = new Map<number, Promise<void>>();
  let pending = 0;
  let failure: string | undefined;
  /** After a failed write nothing more is written; past the bound, what was accepted still is. */
  let writeFailed = false;
  const field = (stream: 'stdout' | 'stderr') => `${stream}Config.path "${paths[stream]}"`;
  async function drain(fd: number, queue: Buffer[], stream: 'stdout' | 'stderr'): Promise<void> {
    while (queue.length > 0 && !writeFailed) {
      const batch = queue.splice(0);
      const bytes = batch.length === 1 ? batch[0] : Buffer.concat(batch);
      try {
        await writeAll(fd, bytes);
      } catch (error) {
        writeFailed = true;
        failure ??= `${field(stream)} could not be written: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
      } finally {
        pending -= bytes.length;
      }
    }
    draining.delete(fd);
  }
  return {
    write(stream, chunk) {
      const fd = fds[stream];
      const queue = fd === undefined ? undefined : queues.get(fd);
      if (fd === undefined || !queue || failure) return;
      if (pending + chunk.length > MAX_PENDING_OUTPUT_BYTES) {
        failure = `${field(stream)} could not keep up: over ${MAX_PENDING_OUTPUT_BYTES} bytes waited to be written`;
        return;
      }
      // A copy: the caller's buffer may be reused once this returns.
      queue.push(Buffer.from(chunk));
      pending += chunk.length;
      if (!draining.has(fd)) draining.set(fd, drain(fd, queue, stream));
    },
    async close() {
      // What was accepted is written first (unless a write failed).
      await Promise.all(draining.values());
      await Promise.all(all.map((fd) => new Promise<void>((resolve) => closeFd(fd, () => resolve()))));
      return failure;
    },
  };
}
