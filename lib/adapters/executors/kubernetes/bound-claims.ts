/**
 * PersistentVolumeClaims that `persistentVolumeClaim` workspaces name. A claim already in the run namespace is used
 * as it is. A missing one is created from the PersistentVolumeClaim document applied to Keelson under that name (the
 * plan carries its spec), labelled as Keelson's for the project and never deleted with a run: it is persistent, as the
 * document is. With neither, the TaskRun fails at once instead of waiting out the start timeout on a Pending pod.
 */
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import type { KubeConnection } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import { labelValue, MANAGED_BY, MANAGED_BY_KEELSON, PROJECT_LABEL } from './labels';

/** A claim the run needs that neither the cluster nor Keelson has, or that Keelson may not make: the TaskRun fails. */
export class ClaimUnavailable extends Error {}

const claimPath = (ns: string, name?: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/persistentvolumeclaims${name ? `/${encodeURIComponent(name)}` : ''}`;

export function missingClaimMessage(claim: string, namespace: string, project: string): string {
  return (
    `PersistentVolumeClaim "${claim}" does not exist in namespace "${namespace}" and no PersistentVolumeClaim ` +
    `document of that name was applied to project "${project}". Apply a PersistentVolumeClaim named "${claim}" ` +
    `(metadata.namespace: ${project}) to Keelson, or create it in namespace "${namespace}" of the pipeline cluster.`
  );
}

/** The claims of the plan's `persistentVolumeClaim` workspaces, each once, with the document's spec when known. */
function boundClaims(plan: TaskRunPlan): Map<string, Record<string, unknown> | undefined> {
  const out = new Map<string, Record<string, unknown> | undefined>();
  for (const ws of plan.workspaces) {
    const s = ws.source;
    if (s?.kind === 'persistentVolumeClaim') out.set(s.claimName, out.get(s.claimName) ?? s.claimSpec);
  }
  return out;
}

/**
 * Makes sure every claim the plan's workspaces name exists in `namespace`; returns the names it created. Throws
 * ClaimUnavailable (message for users) when one is missing and Keelson has no document to make it from.
 */
export async function ensureBoundClaims(
  conn: KubeConnection,
  namespace: string,
  plan: TaskRunPlan,
  project: string,
): Promise<string[]> {
  const made: string[] = [];
  for (const [claim, spec] of boundClaims(plan)) {
    const found = await conn.request({ method: 'GET', path: claimPath(namespace, claim) });
    if (found.status === 200) continue;
    if (found.status !== 404) throw errorFromResponse(found.status, found.body, `read PersistentVolumeClaim ${claim}`);
    if (!spec) throw new ClaimUnavailable(missingClaimMessage(claim, namespace, project));
    // Binding a chosen PersistentVolume could hand this project a volume (and its data) provisioned for another.
    if (spec.volumeName !== undefined)
      throw new ClaimUnavailable(
        `PersistentVolumeClaim "${claim}": Keelson does not create a claim that names spec.volumeName ` +
          `(${JSON.stringify(spec.volumeName)}) in the pipeline cluster. Remove volumeName from the document to get ` +
          `a volume from the storage class, or have a cluster admin create the claim in namespace "${namespace}".`,
      );
    const res = await conn.request({
      method: 'POST',
      path: claimPath(namespace),
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: {
          name: claim,
          namespace,
          labels: { [MANAGED_BY]: MANAGED_BY_KEELSON, [PROJECT_LABEL]: labelValue(project) },
        },
        spec,
      },
    });
    if (res.status === 201 || res.status === 200) made.push(claim);
    // Another TaskRun made it meanwhile.
    else if (res.status !== 409) throw errorFromResponse(res.status, res.body, `create PersistentVolumeClaim ${claim}`);
  }
  return made;
}
