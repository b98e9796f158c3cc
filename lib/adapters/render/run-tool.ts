/** Runs helm or kustomize confined (see sandbox.ts) with a byte cap on stdout, a timeout and a private HOME. */
import { spawn } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { hostEnvironment } from '@/lib/env';
import { scrubCredentials } from '../git/repo-url';
import { confinedCommand, type RenderSandboxConfig } from './sandbox';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  tooLarge: boolean;
  timedOut: boolean;
  /** Set when the binary could not be started (e.g. missing). */
  spawnError?: string;
}

const STDERR_CAP = 64 * 1024;

export interface ToolConfinement {
  sandbox: RenderSandboxConfig;
  /** The checkout root: visible read-only, nothing above or beside it. */
  root: string;
  /** The render's scratch folder (HOME, overlay, inline values): visible read-write. */
  scratch: string;
  /** Keep the network (only for remote bases on the allow-list). */
  network?: boolean;
}

export async function runTool(
  bin: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; maxBytes: number; timeoutMs: number; confine: ToolConfinement },
): Promise<ToolRun> {
  const { confine } = opts;
  // The binary's own folder is bound read-only (a symlinked binary by its target's folder).
  const real = path.isAbsolute(bin) ? await realpath(bin).catch(() => bin) : bin;
  const readOnly = [confine.root, ...(path.isAbsolute(real) ? [path.dirname(real)] : [])];
  const launch = await confinedCommand(
    confine.sandbox,
    real,
    args,
    { readOnly, writable: [confine.scratch], network: confine.network === true },
    opts.cwd,
  );
  if ('error' in launch)
    return { code: null, stdout: '', stderr: '', tooLarge: false, timedOut: false, spawnError: launch.error };
  return spawnTool(launch.file, launch.args, opts);
}

function spawnTool(
  bin: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string>; maxBytes: number; timeoutMs: number },
): Promise<ToolRun> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let tooLarge = false;
    let timedOut = false;
    const env: Record<string, string> = {
      PATH: hostEnvironment(['PATH']).PATH ?? '/usr/bin:/bin',
      LANG: 'C',
      ...opts.env,
    };
    // The cast only bridges Next's ProcessEnv typing (it declares NODE_ENV); the tool gets exactly this env.
    const child = spawn(bin, args, { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      outBytes += chunk.length;
      if (outBytes > opts.maxBytes) {
        tooLarge = true;
        child.kill('SIGKILL');
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_CAP) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, stdout: '', stderr: '', tooLarge, timedOut, spawnError: error.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: stderr.slice(0, STDERR_CAP),
        tooLarge,
        timedOut,
      });
    });
  });
}

/** The tool's stderr made presentable: URL credentials removed, checkout paths made relative, noise lines dropped. */
export function toolMessage(run: ToolRun, bin: string, root: string, replacements: [string, string][] = []): string {
  if (run.spawnError)
    return run.spawnError.startsWith('helm and kustomize run only')
      ? run.spawnError
      : `cannot run ${bin}: ${run.spawnError}`;
  if (run.timedOut) return `${bin} timed out`;
  const replaced = replacements.reduce((text, [from, to]) => text.split(from).join(to), scrubCredentials(run.stderr));
  const text = replaced
    .split(root.endsWith('/') ? root : `${root}/`)
    .join('')
    .split('\n')
    .filter((line) => line.trim() && !/^# Warning: '.*' is deprecated/.test(line))
    .join('\n')
    .trim();
  return text || `${bin} exited with code ${run.code ?? 'unknown'}`;
}
