import type { Target } from './config';
import { CLI_USER_AGENT, CliError, request } from './client';
import { ZLogChunk, ZPipelineRunAnswer, type TPipelineRunAnswer } from './responses';
import { readEvents } from './sse';

function errorMessage(data: string): string {
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === 'object' && parsed && 'message' in parsed && typeof parsed.message === 'string')
      return parsed.message;
  } catch {
    // not JSON: shown as sent
  }
  return data;
}

/** Streams one TaskRun's log to stdout, tkn style: `[task : step] line`. Resolves when the log ends. */
export async function streamTaskRunLog(target: Target, taskRun: string, label: string): Promise<void> {
  const res = await fetch(`${target.server}/api/v1/taskruns/${encodeURIComponent(taskRun)}/logs/stream`, {
    headers: { 'user-agent': CLI_USER_AGENT, ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
  });
  if (!res.ok) throw new CliError(`${res.status}: cannot stream the log of ${taskRun}`);
  for await (const ev of readEvents(res)) {
    if (ev.event === 'end') return;
    // The server asks again while it streams: a revoked right ends the stream with the refusal.
    if (ev.event === 'error') throw new CliError(`${taskRun}: ${errorMessage(ev.data)}`);
    if (ev.event !== 'chunk') continue;
    const chunk = ZLogChunk.parse(JSON.parse(ev.data));
    for (const l of chunk.lines) process.stdout.write(`[${label} : ${chunk.step}] ${l.text}\n`);
  }
}

/** Follows every TaskRun of a PipelineRun as it appears, until the run finishes; returns its final view. */
export async function followPipelineRun(target: Target, name: string, showLogs: boolean): Promise<TPipelineRunAnswer> {
  const following = new Map<string, Promise<void>>();
  let queued: string | undefined;
  for (;;) {
    const run = await request(target, 'GET', `/api/v1/pipelineruns/${encodeURIComponent(name)}`, ZPipelineRunAnswer);
    // A run of a full concurrency group waits: say for what, once per change.
    const condition = run.status.conditions?.[0];
    if (condition?.reason === 'Queued' && condition.message && condition.message !== queued) {
      queued = condition.message;
      console.error(`${name} is queued: ${queued}`);
    }
    if (showLogs) {
      for (const tr of run.taskRuns ?? []) {
        if (following.has(tr.metadata.name)) continue;
        const label = tr.metadata.labels?.['tekton.dev/pipelineTask'] ?? tr.metadata.name;
        following.set(
          tr.metadata.name,
          streamTaskRunLog(target, tr.metadata.name, label).catch((err: Error) => console.error(err.message)),
        );
      }
    }
    if (run.status.completionTime) {
      await Promise.all(following.values());
      return run;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
