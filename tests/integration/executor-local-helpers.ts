import { mkdir, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type {
  ExecutionHooks,
  LogLine,
  StepPlan,
  TaskRunOutcome,
  TaskRunPlan,
} from '../../lib/domain/pipeline/task-run-plan';
import { createLocalExecutor, type LocalExecutorOptions } from '../../lib/adapters/executors/local';
import { testLocalHost } from './support/local-host';

export const MODES = [
  { mode: 'bubblewrap', options: {} },
  { mode: 'fallback', options: { forceFallback: true, allowUnsandboxed: true } },
] as const satisfies readonly { mode: string; options: LocalExecutorOptions }[];

export interface Batch {
  receivedAt: number;
  lines: LogLine[];
}

export interface Run {
  outcome: TaskRunOutcome;
  batches: Batch[];
  lines: LogLine[];
  text: string[];
  events: string[];
  workDir: string;
  sourceDir: string;
  elapsedMs: number;
}

export function step(name: string, fields: Partial<StepPlan>): StepPlan {
  return { name, env: {}, onError: 'stopAndFail', ...fields };
}

/** Runs a plan with one workspace `source` on a fresh folder, recording every hook call. */
export async function runPlan(
  options: LocalExecutorOptions,
  steps: StepPlan[],
  extra: Partial<TaskRunPlan> & { signal?: AbortSignal; sourceReadOnly?: boolean } = {},
): Promise<Run> {
  const base = await mkdtemp(path.join(os.tmpdir(), 'keelson-exec-'));
  const workDir = path.join(base, 'run');
  const sourceDir = path.join(base, 'source');
  // As the engine's prepareWorkspaces does before a TaskRun runs.
  await mkdir(sourceDir);
  const { signal, sourceReadOnly, ...planFields } = extra;
  const plan: TaskRunPlan = {
    taskRunName: 'tr-test',
    steps,
    workspaces: [
      { name: 'source', mountPath: '/workspace/source', hostPath: sourceDir, readOnly: sourceReadOnly ?? false },
    ],
    resultNames: [],
    secretsToMask: [],
    ...planFields,
  };
  const batches: Batch[] = [];
  const events: string[] = [];
  const hooks: ExecutionHooks = {
    onLogs: (lines) => void batches.push({ receivedAt: Date.now(), lines }),
    onStepStarted: (name) => void events.push(`started ${name}`),
    onStepFinished: (o) => void events.push(`finished ${o.name} ${o.reason}`),
    signal,
  };
  const started = Date.now();
  const outcome = await createLocalExecutor(testLocalHost, {
    onHookError: (e) => events.push(`hook error ${String(e)}`),
    ...options,
  }).run(plan, workDir, hooks);
  const lines = batches.flatMap((b) => b.lines);
  return {
    outcome,
    batches,
    lines,
    text: lines.map((l) => l.text),
    events,
    workDir,
    sourceDir,
    elapsedMs: Date.now() - started,
  };
}

/** Host processes whose command line contains the marker (works across pid namespaces). */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
