/** The run namespace: created when missing, labelled with its project and Pod Security `baseline`. */
import { ensureNamespace } from '../../k8s/apply';
import type { KubeConnection } from '../../k8s/connection';
import { labelValue, MANAGED_BY, MANAGED_BY_KEELSON, POD_SECURITY_ENFORCE, PROJECT_LABEL } from './labels';

export class RunNamespaces {
  /**
   * Makes sure the namespace exists (one GET per TaskRun, nothing cached: a namespace deleted between two TaskRuns
   * is made again). One Keelson creates carries `keelson.dev/project` and enforces the `baseline` Pod Security
   * level; an existing namespace is never changed (its own policy stays in force).
   */
  async ensure(conn: KubeConnection, namespace: string, project: string): Promise<'created' | 'exists'> {
    return ensureNamespace(conn, namespace, {
      labels: {
        [PROJECT_LABEL]: labelValue(project),
        [MANAGED_BY]: MANAGED_BY_KEELSON,
        [POD_SECURITY_ENFORCE]: 'baseline',
      },
    });
  }
}
