import type { Command } from 'commander';
import { ZPipelineSettingsView, type TPipelineSettingsView } from '../../lib/schemas/pipeline-settings';
import { request } from '../client';
import { resolveTarget } from '../config';
import { CliError } from '../client';

interface Flags {
  cluster?: string;
  local?: boolean;
  namespace?: string;
  maxTaskruns?: string;
  keepPodsMinutes?: string;
  startTimeout?: string;
}

const PATH = '/api/v1/settings/pipelines';

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new CliError(`${flag} takes a whole number, not "${value}".`);
  return Number(value);
}

/** What `keelson settings pipelines` prints: the setting in force, where it came from, what is stored. */
export function describeSettings(v: TPipelineSettingsView): string {
  const e = v.effective;
  const s = v.setting;
  const from = e.clusterFrom === 'env' ? ' (KEELSON_PIPELINE_CLUSTER)' : '';
  return [
    `executor:       ${e.executor}${e.cluster ? ` on cluster ${e.cluster}${from}` : ''}`,
    ...(e.clusterRegistered ? [] : [`warning:        no registered cluster is named ${e.cluster}`]),
    `cluster:        ${s.cluster ?? '(none: local)'}`,
    `namespace:      ${s.namespace}`,
    `max TaskRuns:   ${s.maxConcurrentTaskRuns}`,
    `keep pods:      ${s.keepFinishedPodsMinutes} min`,
    `start timeout:  ${s.startTimeoutSeconds} s`,
    `updated:        ${v.updatedAt ? `${v.updatedAt} by ${v.updatedBy}` : '(defaults, never stored)'}`,
  ].join('\n');
}

/** `keelson settings pipelines [--cluster NAME | --local] [--namespace T] …`: shows, or changes, where TaskRuns run. */
export function registerSettings(
  program: Command,
  globals: () => { server?: string; token?: string; output?: string },
): void {
  const settings = program.command('settings').description('Installation settings');
  settings
    .command('pipelines')
    .description(
      'Where TaskRuns run: the local executor, or pods on a registered cluster. Without flags, prints the setting; with flags, changes those fields (needs clusters, update, *)',
    )
    .option('--cluster <name>', 'run TaskRuns as pods on this registered cluster')
    .option('--local', 'run TaskRuns on the local executor (no cluster)')
    .option('--namespace <template>', 'namespace per project; {project} is replaced by the project name')
    .option('--max-taskruns <n>', 'TaskRuns running on the cluster at once, across all workers')
    .option('--keep-pods-minutes <n>', 'keep finished pods this long (0: delete once logs are stored)')
    .option('--start-timeout <seconds>', 'how long a pod may stay unstartable before its TaskRun fails')
    .action(async (flags: Flags) => {
      const target = resolveTarget(globals());
      if (flags.cluster && flags.local) throw new CliError('Give --cluster or --local, not both.');
      const current = await request(target, 'GET', PATH, ZPipelineSettingsView);
      const changing = Object.values(flags).some((v) => v !== undefined);
      let view = current;
      if (changing) {
        const s = current.setting;
        view = await request(target, 'PUT', PATH, ZPipelineSettingsView, {
          cluster: flags.local ? null : (flags.cluster ?? s.cluster),
          namespace: flags.namespace ?? s.namespace,
          maxConcurrentTaskRuns: count('--max-taskruns', flags.maxTaskruns, s.maxConcurrentTaskRuns),
          keepFinishedPodsMinutes: count('--keep-pods-minutes', flags.keepPodsMinutes, s.keepFinishedPodsMinutes),
          startTimeoutSeconds: count('--start-timeout', flags.startTimeout, s.startTimeoutSeconds),
        });
      }
      console.log(globals().output === 'json' ? JSON.stringify(view, null, 2) : describeSettings(view));
    });
}
