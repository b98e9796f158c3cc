import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { specDiff } from '@/lib/domain/audit/spec-diff';
import {
  effectiveExecutorSetting,
  ZPipelineExecutorSetting,
  type TPipelineExecutorSetting,
} from '@/lib/domain/pipeline/executor-setting';
import { AppError } from '@/lib/errors';
import type { TPipelineSettingsView } from '@/lib/schemas/pipeline-settings';
import type { Access } from '../access/ports';
import { auditBy } from '../audit/audit-via';
import type { ClusterStore } from '../gitops/ports';
import type { Principal } from '../principal';
import type { ExecutorSettingStore } from './executor-settings-ports';

/** What the Settings → Pipelines use cases need. */
export interface PipelineSettingsDeps {
  access: Pick<Access, 'authorize'>;
  executorSettings: ExecutorSettingStore;
  clusters: Pick<ClusterStore, 'listByName'>;
  /** KEELSON_PIPELINE_CLUSTER, which wins over the stored cluster. */
  envCluster?: string;
}

/**
 * Where pipelines run is the installation's choice, like the clusters themselves: reading it needs
 * `clusters, get, *` (role:readonly), changing it `clusters, update, *` (role:admin; a right on one cluster is not enough).
 */
const OBJECT = '*';

async function view(deps: PipelineSettingsDeps): Promise<TPipelineSettingsView> {
  const [stored, clusters] = await Promise.all([deps.executorSettings.get(), deps.clusters.listByName()]);
  const names = clusters.map((c) => c.name);
  const effective = effectiveExecutorSetting(stored?.value, deps.envCluster);
  return {
    setting: effectiveExecutorSetting(stored?.value, undefined),
    effective: {
      executor: effective.cluster ? 'kubernetes' : 'local',
      cluster: effective.cluster,
      clusterFrom: effective.clusterFrom,
      clusterRegistered: effective.cluster === null || names.includes(effective.cluster),
    },
    envCluster: deps.envCluster ?? null,
    clusters: names,
    stored: stored !== undefined,
    updatedAt: stored?.updatedAt.toISOString() ?? null,
    updatedBy: stored?.updatedBy ?? null,
  };
}

export async function getPipelineSettings(
  deps: PipelineSettingsDeps,
  principal: Principal,
): Promise<TPipelineSettingsView> {
  await deps.access.authorize(principal, 'clusters', 'get', OBJECT);
  const shown = await view(deps);
  // Only the setting's own fields: `clusterFrom` belongs to `effective`.
  const { clusterFrom: _from, ...setting } = shown.setting as typeof shown.setting & { clusterFrom?: string };
  return { ...shown, setting };
}

const HINT = 'Fix the fields listed in issues and send the setting again; nothing was stored.';

function parseInput(input: unknown): TPipelineExecutorSetting {
  const parsed = ZPipelineExecutorSetting.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i: z.core.$ZodIssue) => ({
    path: i.path.join('.') || '(body)',
    message: i.message,
  }));
  throw new AppError('BAD_REQUEST', `Invalid pipeline settings: ${issues[0].path}: ${issues[0].message}.`, {
    issues,
    hint: HINT,
  });
}

/** Stores the `pipelines.executor` setting (audited); the cluster must be registered. Workers pick it up within seconds. */
export async function updatePipelineSettings(
  deps: PipelineSettingsDeps,
  principal: Principal,
  input: unknown,
): Promise<TPipelineSettingsView> {
  await deps.access.authorize(principal, 'clusters', 'update', OBJECT);
  const setting = parseInput(input);
  if (setting.cluster !== null) {
    const names = (await deps.clusters.listByName()).map((c) => c.name);
    if (!names.includes(setting.cluster))
      throw new AppError('BAD_REQUEST', `cluster: no registered cluster is named "${setting.cluster}".`, {
        issues: [{ path: 'cluster', message: `no registered cluster is named "${setting.cluster}"` }],
        hint: `Register the cluster first (Settings → Clusters, or \`keelson cluster add\`), pick one of: ${names.join(', ') || '(none registered)'}; or send cluster: null to run TaskRuns on the local executor. Nothing was stored.`,
      });
  }
  const before = await deps.executorSettings.get();
  if (before && isDeepStrictEqual(before.value, setting))
    return { ...(await getPipelineSettings(deps, principal)), action: 'unchanged' };
  await deps.executorSettings.put(setting, principal.username, {
    ...auditBy(principal),
    action: 'settings.pipelines.update',
    target: 'settings/pipelines',
    result: 'success',
    details: { diff: specDiff({ ...(before?.value ?? {}) }, { ...setting }) },
  });
  return { ...(await getPipelineSettings(deps, principal)), action: 'configured' };
}
