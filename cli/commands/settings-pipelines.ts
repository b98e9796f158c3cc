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
  podDenyCidrs?: string;
  executorOverride?: string;
}

function override(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value !== 'allow' && value !== 'deny')
    throw new CliError(`--executor-override takes allow or deny, not "${value}".`);
  return value === 'allow';
}

const cidrList = (value: string | undefined, fallback: string[]) =>
  value === undefined
    ? fallback
    : value
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean);

const amounts = (a: Record<string, string | number | undefined> | null | undefined) =>
  a && Object.keys(a).length
    ? Object.entries(a)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')
    : '(none)';

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
    `egress denied:  169.254.0.0/16${s.podEgressDenyCidrs.map((c) => `, ${c}`).join('')} (and the workers' KEELSON_STEP_DENY_CIDRS)`,
    `pod quota:      ${amounts(s.podQuota)}`,
    `pod defaults:   requests ${amounts(s.podDefaults?.requests)}; limits ${amounts(s.podDefaults?.limits)}`,
    `override:       ${s.allowExecutorOverride ? 'keelson.dev/executor may choose the executor' : 'keelson.dev/executor naming another executor is refused'}`,
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
    .option('--pod-deny-cidrs <list>', "IPv4 ranges pods may not reach (comma list; '' for none), besides link-local")
    .option('--executor-override <allow|deny>', 'whether keelson.dev/executor may choose another executor')
    .action(async (flags: Flags) => {
      const target = resolveTarget(globals());
      if (flags.cluster && flags.local) throw new CliError('Give --cluster or --local, not both.');
      const current = await request(target, 'GET', PATH, ZPipelineSettingsView);
      const changing = Object.values(flags).some((v) => v !== undefined);
      let view = current;
      if (changing) {
        const s = current.setting;
        view = await request(target, 'PUT', PATH, ZPipelineSettingsView, {
          // Fields without a flag here (the pod quota and defaults) are sent back as they are.
          ...s,
          podEgressDenyCidrs: cidrList(flags.podDenyCidrs, s.podEgressDenyCidrs),
          allowExecutorOverride: override(flags.executorOverride, s.allowExecutorOverride),
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
