/** OpenAPI paths of AppProjects, project tokens and the argocd-rbac-cm ConfigMap; merged into openapi.ts. */
import type { SchemaName } from './openapi';
import { pathParam, type Json, type Operation, type OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

/** A body that is one document, as JSON or YAML. */
const documentBody = (schema: SchemaName): Json => ({
  required: true,
  content: {
    'application/json': { schema: { $ref: `#/components/schemas/${schema}` } },
    'application/yaml': { schema: { type: 'string' } },
  },
});

export function accessPaths(op: Op) {
  const name = [pathParam('name')];
  const role = [...name, pathParam('role')];
  const forbidden = (what: string) => ({ '403': `Not allowed: projects, ${what}, <name>` });
  return {
    '/api/v1/projects': {
      get: op('AppProjects the caller may get (projects, get, <name>), with their tokens in status.jwtTokensByRole', {
        answers: { '200': '{items: AppProject[]}' },
      }),
      post: op(
        'Create an Argo CD AppProject (argoproj.io/v1alpha1, JSON or YAML, unchanged); ?upsert=true replaces one whose spec differs. spec.sourceNamespaces is accepted and ignored (a warning says so)',
        {
          params: [{ name: 'upsert', in: 'query', required: false, schema: { type: 'boolean' } }],
          rawBody: documentBody('AppProject'),
          answers: { '201': 'Created: {project, action, warnings}', '200': 'Unchanged or replaced (upsert)' },
          errors: {
            '400': 'Invalid AppProject: every bad field with its path; nothing stored',
            '409': 'A project of that name with another spec exists (without upsert)',
            ...forbidden('create|update'),
          },
        },
      ),
    },
    '/api/v1/projects/{name}': {
      get: op('One AppProject with status.jwtTokensByRole (projects, get)', {
        params: name,
        answers: { '200': 'AppProject' },
        errors: { '404': 'No such project', ...forbidden('get') },
      }),
      put: op('Replace an AppProject (projects, update); tokens of roles it no longer has are revoked', {
        params: name,
        rawBody: documentBody('AppProject'),
        answers: { '200': '{project, action, warnings}' },
        errors: { '400': 'Invalid AppProject or name mismatch', '404': 'No such project', ...forbidden('update') },
      }),
      delete: op('Delete an AppProject (projects, delete) and revoke its tokens', {
        params: name,
        answers: { '204': 'Deleted' },
        errors: {
          '400': 'The default project cannot be deleted',
          '404': 'No such project',
          '409': 'Applications or pipeline resources still belong to it (named)',
          ...forbidden('delete'),
        },
      }),
    },
    '/api/v1/projects/{name}/windows': {
      get: op("The project's sync windows, each with whether it is active now", {
        params: name,
        answers: { '200': '{items: (SyncWindow & {active})[]}' },
        errors: { '404': 'No such project', ...forbidden('get') },
      }),
    },
    '/api/v1/projects/{name}/roles/{role}/token': {
      get: op("A project role's tokens (id, iat, exp), not their values (projects, update)", {
        params: role,
        answers: { '200': '{items: ProjectToken[]}' },
        errors: { '404': 'No such project or role', ...forbidden('update') },
      }),
      post: op(
        'Create a project token (argocd proj role create-token): it acts as proj:<name>:<role>; returned once (projects, update)',
        {
          params: role,
          body: 'CreateProjectToken',
          answers: { '201': '{id, project, role, iat, exp, issuedAt, expiresAt, token}' },
          errors: { '400': 'expiresIn is not a duration', '404': 'No such project or role', ...forbidden('update') },
        },
      ),
    },
    '/api/v1/projects/{name}/roles/{role}/token/{id}': {
      delete: op('Revoke a project token (projects, update); it stops working at once', {
        params: [...role, pathParam('id')],
        answers: { '204': 'Revoked' },
        errors: { '404': 'No such project, role or token', ...forbidden('update') },
      }),
    },
    '/api/v1/settings/rbac': {
      get: op(
        'The effective argocd-rbac-cm ConfigMap (the defaults until one is applied) as JSON and YAML, the roles it names and the built-in policy (rbac, get, *; role:readonly has it)',
        { answers: { '200': '{configMap, yaml, applied, updatedAt, updatedBy, roles, builtinPolicy}' } },
      ),
      put: op(
        "Apply Argo CD's argocd-rbac-cm unchanged (policy.csv, policy.<name>.csv overlays, policy.default, scopes, policy.matchMode), JSON or YAML. Argo CD leaves who may edit it to Kubernetes RBAC; Keelson requires rbac, update, * (role:admin has it; accounts, update, which manages accounts, is not enough). The built-in `g, admin, role:admin` always holds, and a policy denying the local admin rbac update or accounts update is refused, so an administrator can always repair it",
        {
          rawBody: documentBody('RbacConfigMap'),
          answers: { '200': '{action: configured|unchanged, configMap}' },
          errors: {
            '400':
              'Bad lines, each with its key and line number (data["policy.csv"] line 3), or a lock-out; nothing stored',
            '403': 'Not allowed: rbac, update, *',
          },
        },
      ),
    },
  };
}
