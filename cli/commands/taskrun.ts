import type { Command } from 'commander';
import { request } from '../client';
import { resolveTarget } from '../config';
import { streamTaskRunLog } from '../follow-logs';
import { formatTable, print, type OutputFormat } from '../output';
import { ZTaskRunList } from '../responses';
import { age } from './format-time';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

export function registerTaskRun(program: Command, globals: Globals): void {
  const tr = program.command('taskrun').alias('tr').description('TaskRuns');
  const target = () => resolveTarget(globals());

  tr.command('list')
    .description('List TaskRuns, newest first')
    .option('--pipelinerun <name>', 'only TaskRuns of this PipelineRun')
    .action(async (f: { pipelinerun?: string }) => {
      const q = f.pipelinerun ? `?pipelineRun=${encodeURIComponent(f.pipelinerun)}` : '';
      const list = await request(target(), 'GET', `/api/v1/taskruns${q}`, ZTaskRunList);
      print(globals().output, list.items, () =>
        formatTable(
          ['NAME', 'STARTED', 'STATUS'],
          list.items.map((t) => [
            t.metadata.name,
            t.status.startTime ? age(t.status.startTime) : '---',
            t.status.conditions?.[0]?.reason ?? 'Pending',
          ]),
        ),
      );
    });

  tr.command('logs <name>')
    .description("Print a TaskRun's log (follows it while it runs)")
    .action(async (name: string) => streamTaskRunLog(target(), name, name));
}
