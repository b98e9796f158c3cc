import type { Command } from 'commander';
import { stringify } from 'yaml';
import { request, send } from '../client';
import { resolveTarget } from '../config';
import { formatTable, print, type OutputFormat } from '../output';
import { ZPipelineDetailAnswer, ZPipelineList } from '../responses';
import { age, duration } from './format-time';

type Globals = () => { server?: string; token?: string; output: OutputFormat };

export function registerPipeline(program: Command, globals: Globals): Command {
  const pipeline = program.command('pipeline').alias('pipelines').description('Tekton-style pipelines');
  const target = () => resolveTarget(globals());

  pipeline
    .command('list')
    .description('List pipelines with their last run')
    .action(async () => {
      const { items } = await request(target(), 'GET', '/api/v1/pipelines', ZPipelineList);
      print(globals().output, items, () =>
        formatTable(
          ['NAME', 'PROJECT', 'VERSION', 'TASKS', 'LAST RUN', 'STATUS', 'STARTED', 'DURATION'],
          items.map((p) => [
            p.name,
            p.project,
            String(p.version),
            String(p.tasks),
            p.lastRun?.name ?? '---',
            p.lastRun ? p.lastRun.reason || p.lastRun.status : '---',
            p.lastRun?.startedAt ? age(p.lastRun.startedAt) : '---',
            duration(p.lastRun?.durationMs ?? null),
          ]),
        ),
      );
    });

  pipeline
    .command('describe <name>')
    .description('Show a pipeline (newest version)')
    .action(async (name: string) => {
      const detail = await request(
        target(),
        'GET',
        `/api/v1/pipelines/${encodeURIComponent(name)}`,
        ZPipelineDetailAnswer,
      );
      print(
        globals().output,
        detail,
        () =>
          `# ${detail.name} (project ${detail.project}), version ${detail.version} (versions: ${detail.versions.join(', ')})\n${stringify(detail.document)}`,
      );
    });

  pipeline
    .command('delete <name>')
    .description('Delete a pipeline (every version; runs are kept)')
    .action(async (name: string) => {
      await send(target(), 'DELETE', `/api/v1/pipelines/${encodeURIComponent(name)}`);
      console.log(`pipeline/${name} deleted`);
    });
  return pipeline;
}
