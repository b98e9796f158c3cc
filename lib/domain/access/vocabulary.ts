/**
 * The resources and actions an RBAC policy line may name: Argo CD's (util/rbac/rbac.go, Resources and
 * Actions) plus Keelson's pipeline resources. Objects are `project/name` for project-scoped resources.
 */
export const ARGO_CD_RESOURCES = [
  'clusters',
  'projects',
  'applications',
  'applicationsets',
  'repositories',
  'write-repositories',
  'certificates',
  'accounts',
  'gpgkeys',
  'logs',
  'exec',
  'extensions',
] as const;

export const KEELSON_RESOURCES = ['pipelines', 'pipelineruns', 'triggers', 'secrets'] as const;

/**
 * Keelson's resources that belong to no project; objects are `*`: the audit log (who did what, from where) and
 * the RBAC ConfigMap argocd-rbac-cm (get, update), apart from `accounts` so that managing accounts (a helpdesk
 * resetting passwords) is not the right to rewrite the policy.
 */
export const KEELSON_GLOBAL_RESOURCES = ['audit', 'rbac'] as const;

export const RESOURCES = [...ARGO_CD_RESOURCES, ...KEELSON_RESOURCES, ...KEELSON_GLOBAL_RESOURCES] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = [
  'get',
  'create',
  'update',
  'delete',
  'sync',
  'rollback',
  'override',
  'action',
  'invoke',
  'debug',
  'cancel',
] as const;
export type Action = (typeof ACTIONS)[number];

/** What each Keelson resource supports; secrets have no `get`: their values are never readable. */
export const KEELSON_ACTIONS = {
  pipelines: ['get', 'create', 'update', 'delete'],
  pipelineruns: ['get', 'create', 'cancel', 'delete'],
  triggers: ['get', 'create', 'update', 'delete'],
  secrets: ['create', 'update', 'delete'],
} as const satisfies Record<(typeof KEELSON_RESOURCES)[number], readonly Action[]>;

export function isResource(value: string): value is Resource {
  return (RESOURCES as readonly string[]).includes(value);
}

export function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

/** `update/*`, `delete/*` and `action/<group>/<kind>/<name>` are sub-actions of their first segment. */
export function baseAction(action: string): string {
  const slash = action.indexOf('/');
  return slash < 0 ? action : action.slice(0, slash);
}
