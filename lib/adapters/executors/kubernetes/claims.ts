/**
 * PersistentVolumeClaims of `volumeClaimTemplate` workspaces: one per PipelineRun and workspace (the plan names it),
 * made by the first TaskRun that needs it, labelled with the PipelineRun so the engine deletes them when it ends.
 */
import { createHash } from 'node:crypto';
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { MANAGED_BY, MANAGED_BY_KEELSON, PIPELINE_RUN_LABEL } from './labels';

/** A PipelineRun as the database has it (never as a TaskRun's labels tell it). */
export interface ClaimOwner {
  project: string;
  name: string;
  uid: string;
}

/** The PipelineRun's claims name (annotation, for people): not what selects them. */
export const PIPELINE_RUN_NAME_ANNOTATION = 'keelson.dev/pipeline-run-name';

/**
 * The label value that says which run a claim belongs to: a hash of project, run name and run uid, so no other run
 * (a shortened long name, a run of the same name in another project or before it) can select it.
 */
export function runClaimKey(run: ClaimOwner): string {
  return createHash('sha256').update(`${run.project}\n${run.name}\n${run.uid}`).digest('hex').slice(0, 48);
}

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
  run: ClaimOwner | undefined,
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
            ...(run ? { [PIPELINE_RUN_LABEL]: runClaimKey(run) } : {}),
          },
          annotations: {
            ...template.metadata?.annotations,
            ...(run ? { [PIPELINE_RUN_NAME_ANNOTATION]: run.name } : {}),
          },
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
export async function deleteRunClaims(conn: KubeConnection, namespace: string, run: ClaimOwner): Promise<number> {
  const selector = `${PIPELINE_RUN_LABEL}=${runClaimKey(run)},${MANAGED_BY}=${MANAGED_BY_KEELSON}`;
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
