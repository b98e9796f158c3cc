import type { Command } from 'commander';
import { stringify } from 'yaml';
import { CliError, request, send } from '../client';
import { resolveTarget } from '../config';
import { followPipelineRun, streamTaskRunLog } from '../follow-logs';
import { formatTable, print, type OutputFormat } from '../output';
import { ZCreatedRunAnswer, ZPipelineRunAnswer, ZRunPageAnswer } from '../responses';
import { age, duration } from './format-time';
import { childRunLines, parentLines } from './child-pipeline-runs';
import { exitCodeFor } from './pipeline-start';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

export function registerPipelineRun(program: Command, globals: Globals): void {
  const pr = program.command('pipelinerun').alias('pr').description('PipelineRuns');
  const target = () => resolveTarget(globals());
  const path = (name: string, rest = '') => `/api/v1/pipelineruns/${encodeURIComponent(name)}${rest}`;

  pr.command('list')
    .description('List PipelineRuns, newest first')
    .option('--pipeline <name>', 'only runs of this pipeline')
    .option('--status <status>', 'Running, Queued, Succeeded, Failed, Cancelled')
    .option('--limit <n>', 'how many', '25')
    .action(async (f: { pipeline?: string; status?: string; limit: string }) => {
      const q = new URLSearchParams({
        limit: f.limit,
        ...(f.pipeline ? { pipeline: f.pipeline } : {}),
        ...(f.status ? { status: f.status } : {}),
      });
      const list = await request(target(), 'GET', `/api/v1/pipelineruns?${q}`, ZRunPageAnswer);
      print(globals().output, list.items, () =>
        formatTable(
          ['NAME', 'PROJECT', 'PIPELINE', 'STARTED', 'DURATION', 'STATUS'],
          list.items.map((r) => [
            r.name,
            r.project,
            r.pipeline ?? '(inline)',
            r.startedAt ? age(r.startedAt) : '---',
            duration(r.durationMs),
            // A queued run (concurrency group) says what it waits for.
            r.reason === 'Queued' && r.message ? `Queued: ${r.message}` : (r.reason ?? ''),
          ]),
        ),
      );
    });

  pr.command('describe <name>')
    .description('Show a PipelineRun and its TaskRuns')
    .action(async (name: string) => {
      const run = await request(target(), 'GET', path(name), ZPipelineRunAnswer);
      print(globals().output, run, () => {
        const c = run.status.conditions?.[0];
        const lines = [
          `Name:     ${name}`,
          `Status:   ${c?.reason ?? 'Unknown'} (${c?.status ?? '?'})`,
          `Message:  ${c?.message ?? ''}`,
          ...parentLines(run),
          '',
          'TaskRuns:',
        ];
        lines.push(
          formatTable(
            ['NAME', 'TASK', 'STATUS', 'EXECUTOR', 'POD'],
            (run.taskRuns ?? []).map((t) => [
              t.metadata.name,
              t.metadata.labels?.['tekton.dev/pipelineTask'] ?? '',
              t.status.conditions?.[0]?.reason ?? 'Pending',
              // Which executor claimed it (keelson.dev/executor), and its pod on Kubernetes.
              t.metadata.annotations?.['keelson.dev/executor'] ?? '',
              t.status.podName || '',
            ]),
          ),
        );
        lines.push(...childRunLines(run));
        if (run.status.skippedTasks?.length)
          lines.push('', 'Skipped:', ...run.status.skippedTasks.map((s) => `  ${s.name}: ${s.reason}`));
        if (run.status.results?.length) lines.push('', 'Results:', stringify(run.status.results).trimEnd());
        return lines.join('\n');
      });
    });

  pr.command('logs <name>')
    .description('Print the logs of a PipelineRun')
    .option('-f, --follow', 'follow until the run finishes; the exit code follows its result')
    .action(async (name: string, f: { follow?: boolean }) => {
      if (f.follow) {
        const final = await followPipelineRun(target(), name, true);
        process.exitCode = exitCodeFor(final.status);
        return;
      }
      const run = await request(target(), 'GET', path(name), ZPipelineRunAnswer);
      for (const t of run.taskRuns ?? [])
        await streamTaskRunLog(
          target(),
          t.metadata.name,
          t.metadata.labels?.['tekton.dev/pipelineTask'] ?? t.metadata.name,
        );
    });

  pr.command('cancel <name>')
    .description('Cancel a running PipelineRun')
    .option('--mode <mode>', 'Cancelled (stop all, skip finally), CancelledRunFinally, StoppedRunFinally', 'Cancelled')
    .action(async (name: string, f: { mode: string }) => {
      if (!['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally'].includes(f.mode))
        throw new CliError('--mode must be Cancelled, CancelledRunFinally or StoppedRunFinally', 2);
      await send(target(), 'POST', path(name, '/cancel'), { mode: f.mode });
      console.log(`pipelinerun/${name} ${f.mode === 'Cancelled' ? 'cancelled' : `cancel requested (${f.mode})`}`);
    });

  pr.command('rerun <name>')
    .description('Start a new run with the same params and workspaces')
    .option(
      '--from-failed',
      "Run only what failed, was cancelled or skipped (and finally), with the old run's specs; reuse the results of tasks that succeeded",
    )
    .action(async (name: string, f: { fromFailed?: boolean }) => {
      const body = f.fromFailed ? { fromFailed: true } : undefined;
      const run = await request(target(), 'POST', path(name, '/rerun'), ZCreatedRunAnswer, body);
      console.log(`pipelinerun/${run.name} created${f.fromFailed ? ` (rerun of the failed tasks of ${name})` : ''}`);
    });

  pr.command('delete <name>')
    .description('Delete a finished PipelineRun')
    .action(async (name: string) => {
      await send(target(), 'DELETE', path(name));
      console.log(`pipelinerun/${name} deleted`);
    });
}
