/**
 * Per-step overhead of the local executor, spawn to exit of `true`, in both modes.
 * Run: npm run bench:step-overhead -- [steps]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { StepPlan } from '../lib/domain/pipeline/task-run-plan';
import { env } from '../lib/env';
import { createLocalExecutor } from '../lib/adapters/executors/local/local-executor';
import { createLocalHost } from '../lib/adapters/executors/local/local-host';

const host = createLocalHost({ searchPath: env().PATH });

const count = Number(process.argv[2] ?? 50);

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `p50 ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
}

async function bare(): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await new Promise((resolve) => spawn('true', { stdio: 'ignore' }).on('close', resolve));
    samples.push(performance.now() - t);
  }
  return samples;
}

async function executor(forceFallback: boolean, kind: 'command' | 'script') {
  const base = await mkdtemp(path.join(os.tmpdir(), 'keelson-bench-'));
  try {
    const steps: StepPlan[] = Array.from({ length: count }, (_, i) => ({
      name: `s${i}`,
      env: {},
      onError: 'stopAndFail',
      ...(kind === 'command' ? { command: ['true'] } : { script: 'true' }),
    }));
    const t = performance.now();
    const outcome = await createLocalExecutor(host, { forceFallback }).run(
      { taskRunName: 'bench', steps, workspaces: [], resultNames: [], secretsToMask: [] },
      path.join(base, 'run'),
      { onLogs: () => undefined },
    );
    const wall = performance.now() - t;
    if (outcome.status !== 'Succeeded') throw new Error(outcome.message);
    const spawnToExit = outcome.steps.map((s) => (s.finishedAt?.getTime() ?? 0) - (s.startedAt?.getTime() ?? 0));
    return { sandbox: outcome.sandbox, spawnToExit, perStepWall: wall / count };
  } finally {
    await rm(base, { recursive: true, force: true });
  }
}

console.log(
  `${count} steps each; spawn-to-exit is the step's startedAt..finishedAt, wall/step includes preparing the step`,
);
console.log(`bare node spawn of true:        ${stats(await bare())}`);
await executor(true, 'command'); // warm-up (bwrap detection, page cache)
for (const forceFallback of [false, true]) {
  for (const kind of ['command', 'script'] as const) {
    const r = await executor(forceFallback, kind);
    console.log(
      `${r.sandbox.padEnd(10)} ${kind.padEnd(7)} spawn-to-exit ${stats(r.spawnToExit)}; wall/step ${r.perStepWall.toFixed(1)} ms`,
    );
  }
}
