/** One cluster's object operations bound to its connection; implements the gitops ClusterClient port. */
import { applyDryRun, applyObject, deleteObject, type ApplyOptions, type DeleteOptions } from './apply';
import type { KubeConnection } from './connection';
import type { KubeObject, ObjectKey } from './objects';
import { getObject } from './read';

export function clusterClient(conn: KubeConnection) {
  return {
    apply: (obj: KubeObject, opts: Pick<ApplyOptions, 'dryRun' | 'fieldValidation'>) => applyObject(conn, obj, opts),
    dryRun: async (obj: KubeObject, opts: Pick<ApplyOptions, 'fieldValidation'>) =>
      (await applyDryRun(conn, obj, opts)).object,
    get: (key: ObjectKey) => getObject(conn, key),
    delete: (key: ObjectKey, opts: DeleteOptions) => deleteObject(conn, key, opts),
  };
}
