/**
 * PersistentVolumeClaims of `volumeClaimTemplate` workspaces: one per PipelineRun and workspace (the plan names it),
 * made by the first TaskRun that needs it, labelled with the PipelineRun so the engine deletes them when it ends.
 */
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { labelValue, MANAGED_BY, MANAGED_BY_KEELSON, PIPELINE_RUN_LABEL } from './labels';

const claimsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/persistentvolumeclaims`;

type Template = {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
};

/** Creates the plan's template claims that do not exist yet; returns their names. */
export async function ensureRunClaims(
  conn: KubeConnection,
  namespace: string,
  plan: TaskRunPlan,
  pipelineRunName: string | undefined,
): Promise<string[]> {
  const made: string[] = [];
  for (const ws of plan.workspaces) {
    const source = ws.source;
    if (source?.kind !== 'volumeClaimTemplate') continue;
    const template = source.template as Template;
    const res = await conn.request({
      method: 'POST',
      path: claimsPath(namespace),
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: source.claimName,
          namespace,
          labels: {
            ...template.metadata?.labels,
            [MANAGED_BY]: MANAGED_BY_KEELSON,
            ...(pipelineRunName ? { [PIPELINE_RUN_LABEL]: labelValue(pipelineRunName) } : {}),
          },
          ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        },
        spec: template.spec ?? {},
      },
    });
    if (res.status === 201 || res.status === 200) made.push(source.claimName);
    else if (res.status !== 409)
      throw errorFromResponse(res.status, res.body, `create PersistentVolumeClaim ${source.claimName}`);
  }
  return made;
}

/** Deletes the claims Keelson made for a PipelineRun's `volumeClaimTemplate` workspaces; returns how many. */
export async function deleteRunClaims(
  conn: KubeConnection,
  namespace: string,
  pipelineRunName: string,
): Promise<number> {
  const selector = `${PIPELINE_RUN_LABEL}=${labelValue(pipelineRunName)},${MANAGED_BY}=${MANAGED_BY_KEELSON}`;
  const list = await conn.requestOk({ method: 'GET', path: claimsPath(namespace), query: { labelSelector: selector } });
  const items = (JSON.parse(list) as { items?: { metadata?: { name?: string } }[] }).items ?? [];
  let deleted = 0;
  for (const item of items) {
    const name = item.metadata?.name;
    if (!name) continue;
    const res = await conn.request({
      method: 'DELETE',
      path: `${claimsPath(namespace)}/${encodeURIComponent(name)}`,
      body: { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' },
    });
    if (res.status === 200 || res.status === 202) deleted++;
    else if (res.status !== 404) throw errorFromResponse(res.status, res.body, `delete PersistentVolumeClaim ${name}`);
  }
  return deleted;
}
