import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const bin = path.resolve('bin/keelson.mjs');

/** Runs the real `keelson` binary with `env()` added to the environment; answers its exit code and output. */
export function keelsonCli(env: () => Record<string, string>) {
  return async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
        env: { ...process.env, ...env() } as NodeJS.ProcessEnv,
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
}
