/** The run namespace: created when missing, labelled with its project and Pod Security `baseline`. */
import { ensureNamespace } from '../../k8s/apply';
import type { KubeConnection } from '../../k8s/connection';
import { labelValue, MANAGED_BY, MANAGED_BY_KEELSON, POD_SECURITY_ENFORCE, PROJECT_LABEL } from './labels';

/** How long a namespace known to exist is not asked for again. */
const KNOWN_FOR_MS = 60_000;

export class RunNamespaces {
  readonly #known = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Makes sure the namespace exists. One Keelson creates carries `keelson.dev/project` and enforces the `baseline`
   * Pod Security level; an existing namespace is never changed (its own policy stays in force).
   */
  async ensure(conn: KubeConnection, namespace: string, project: string): Promise<'created' | 'exists'> {
    const key = `${conn.id}\u0000${namespace}`;
    const seen = this.#known.get(key);
    if (seen !== undefined && this.now() - seen < KNOWN_FOR_MS) return 'exists';
    const made = await ensureNamespace(conn, namespace, {
      labels: {
        [PROJECT_LABEL]: labelValue(project),
        [MANAGED_BY]: MANAGED_BY_KEELSON,
        [POD_SECURITY_ENFORCE]: 'baseline',
      },
    });
    this.#known.set(key, this.now());
    return made;
  }

  /** Forgets a namespace, e.g. after creating a pod in it failed because it was gone. */
  forget(conn: KubeConnection, namespace: string): void {
    this.#known.delete(`${conn.id}\u0000${namespace}`);
  }
}
