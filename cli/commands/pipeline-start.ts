import type { Command } from 'commander';
import { CliError, request } from '../client';
import { resolveTarget } from '../config';
import { followPipelineRun } from '../follow-logs';
import { parseParamFlags, parseWorkspaceFlags } from '../param-flags';
import type { OutputFormat } from '../output';
import { ZCreatedRunAnswer, ZPipelineParams } from '../responses';
import { errorMessage } from '../../lib/domain/error-message';

type Globals = () => { server?: string; token?: string; output: OutputFormat };
const collect = (value: string, previous: string[]) => [...previous, value];

/** Exit code 0 only when the run's condition ends True. */
export function exitCodeFor(status: { conditions?: { status?: string }[] }): number {
  return status.conditions?.[0]?.status === 'True' ? 0 : 1;
}

export function registerPipelineStart(pipeline: Command, globals: Globals): void {
  pipeline
    .command('start <name>')
    .description('Start a PipelineRun of a pipeline')
    .option('-p, --param <name=value>', 'a param (arrays: a,b,c; objects: k:v,k2:v2); repeatable', collect, [])
    .option(
      '-w, --workspace <name=source>',
      'a workspace: name=emptyDir | name=pvc:CLAIM | name=configMap:CM | name=secret:S; repeatable',
      collect,
      [],
    )
    .option('--wait', 'wait for the run to finish; the exit code follows its result')
    .option('--showlog', 'stream the logs while it runs (implies --wait)')
    .action(
      async (name: string, flags: { param: string[]; workspace: string[]; wait?: boolean; showlog?: boolean }) => {
        const target = resolveTarget(globals());
        const detail = await request(target, 'GET', `/api/v1/pipelines/${encodeURIComponent(name)}`, ZPipelineParams);
        const types = Object.fromEntries(
          (detail.document.spec.params ?? []).map((p) => [
            p.name,
            p.type ?? (Array.isArray(p.default) ? 'array' : 'string'),
          ]),
        );
        let params;
        let workspaces;
        try {
          params = parseParamFlags(flags.param, types);
          workspaces = parseWorkspaceFlags(flags.workspace);
        } catch (err) {
          throw new CliError(errorMessage(err), 2);
        }
        const run = await request(
          target,
          'POST',
          `/api/v1/pipelines/${encodeURIComponent(name)}/start`,
          ZCreatedRunAnswer,
          { params, workspaces },
        );
        console.log(`pipelinerun/${run.name} created`);
        if (!flags.wait && !flags.showlog) return;
        const final = await followPipelineRun(target, run.name, Boolean(flags.showlog));
        const c = final.status.conditions?.[0];
        console.log(`pipelinerun/${run.name} ${c?.reason ?? 'Unknown'}: ${c?.message ?? ''}`);
        process.exitCode = exitCodeFor(final.status);
      },
    );
}
