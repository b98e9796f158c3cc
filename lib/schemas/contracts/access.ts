/** Contracts of permission questions, AppProjects, project tokens and the argocd-rbac-cm ConfigMap. */
import { z } from 'zod';
import { ZRbacConfigMap } from '../../domain/access/rbac-config';
import { ZAppProject } from '../../domain/gitops/projects';
import { ZCanIAnswer, ZCanIBatch, ZCanICheck, ZCanIResults } from '../access';
import { contract } from '../contract';
import { ZAppliedRbacConfig, ZRbacConfigView } from '../rbac';
import {
  ZAppliedProject,
  ZCreatedProjectToken,
  ZCreateProjectToken,
  ZProjectList,
  ZProjectTokenList,
  ZProjectWindows,
} from '../projects';
import { nameParam, ZObjectName } from './params';

const forbidden = (what: string) => ({ '403': `Not allowed: projects, ${what}, <name>` });
const roleParams = z.object({ name: ZObjectName, role: ZObjectName });
const upsertQuery = z.object({ upsert: z.enum(['true', 'false']).optional() });

export const accessContracts = {
  '/api/v1/account/can-i': {
    get: contract({
      summary: 'Whether the caller may do an action (as `argocd account can-i ACTION RESOURCE OBJECT`)',
      query: ZCanICheck,
      queryHint: 'Give resource and action (e.g. ?resource=applications&action=sync&object=default/guestbook).',
      answers: { '200': ['yes or no', ZCanIAnswer] },
      errors: { '400': 'resource or action missing, or an unknown parameter' },
    }),
    post: contract({
      summary: 'Several permission questions at once (drives the UI buttons); answers in order',
      body: ZCanIBatch,
      answers: { '200': ['One boolean per check', ZCanIResults] },
      errors: { '400': 'Bad checks' },
    }),
  },
  '/api/v1/projects': {
    get: contract({
      summary: 'AppProjects the caller may get (projects, get, <name>), with their tokens in status.jwtTokensByRole',
      answers: { '200': ['{items: AppProject[]}', ZProjectList] },
    }),
    post: contract({
      summary:
        'Create an Argo CD AppProject (argoproj.io/v1alpha1, JSON or YAML, unchanged); ?upsert=true replaces one whose spec differs. spec.sourceNamespaces is accepted and ignored (a warning says so)',
      query: upsertQuery,
      body: ZAppProject,
      bodyFormat: 'read-by-route',
      yaml: true,
      answers: {
        '201': ['Created: {project, action, warnings}', ZAppliedProject],
        '200': ['Unchanged or replaced (upsert)', ZAppliedProject],
      },
      errors: {
        '400': 'Invalid AppProject: every bad field with its path; nothing stored',
        '409': 'A project of that name with another spec exists (without upsert)',
        ...forbidden('create|update'),
      },
    }),
  },
  '/api/v1/projects/{name}': {
    get: contract({
      summary: 'One AppProject with status.jwtTokensByRole (projects, get)',
      path: nameParam,
      answers: { '200': ['AppProject', ZAppProject] },
      errors: { '404': 'No such project', ...forbidden('get') },
    }),
    put: contract({
      summary: 'Replace an AppProject (projects, update); tokens of roles it no longer has are revoked',
      path: nameParam,
      body: ZAppProject,
      bodyFormat: 'read-by-route',
      yaml: true,
      answers: { '200': ['{project, action, warnings}', ZAppliedProject] },
      errors: { '400': 'Invalid AppProject or name mismatch', '404': 'No such project', ...forbidden('update') },
    }),
    delete: contract({
      summary: 'Delete an AppProject (projects, delete) and revoke its tokens',
      path: nameParam,
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
    get: contract({
      summary: "The project's sync windows, each with whether it is active now",
      path: nameParam,
      answers: { '200': ['{items: (SyncWindow & {active})[]}', ZProjectWindows] },
      errors: { '404': 'No such project', ...forbidden('get') },
    }),
  },
  '/api/v1/projects/{name}/roles/{role}/token': {
    get: contract({
      summary: "A project role's tokens (id, iat, exp), not their values (projects, update)",
      path: roleParams,
      answers: { '200': ['{items: ProjectToken[]}', ZProjectTokenList] },
      errors: { '404': 'No such project or role', ...forbidden('update') },
    }),
    post: contract({
      summary:
        'Create a project token (argocd proj role create-token): it acts as proj:<name>:<role>; returned once (projects, update)',
      path: roleParams,
      body: ZCreateProjectToken,
      answers: { '201': ['{id, project, role, iat, exp, issuedAt, expiresAt, token}', ZCreatedProjectToken] },
      errors: { '400': 'expiresIn is not a duration', '404': 'No such project or role', ...forbidden('update') },
    }),
  },
  '/api/v1/projects/{name}/roles/{role}/token/{id}': {
    delete: contract({
      summary: 'Revoke a project token (projects, update); it stops working at once',
      path: roleParams.extend({ id: z.string().min(1).max(100) }),
      answers: { '204': 'Revoked' },
      errors: { '404': 'No such project, role or token', ...forbidden('update') },
    }),
  },
  '/api/v1/settings/rbac': {
    get: contract({
      summary:
        'The effective argocd-rbac-cm ConfigMap (the defaults until one is applied) as JSON and YAML, the roles it names and the built-in policy (rbac, get, *; role:readonly has it)',
      answers: { '200': ['{configMap, yaml, applied, updatedAt, updatedBy, roles, builtinPolicy}', ZRbacConfigView] },
      errors: { '403': 'Not allowed: rbac, get, *' },
    }),
    put: contract({
      summary:
        "Apply Argo CD's argocd-rbac-cm unchanged (policy.csv, policy.<name>.csv overlays, policy.default, scopes, policy.matchMode), JSON or YAML. Argo CD leaves who may edit it to Kubernetes RBAC; Keelson requires rbac, update, * (role:admin has it; accounts, update, which manages accounts, is not enough). The built-in `g, admin, role:admin` always holds, and a policy denying the local admin rbac update or accounts update is refused, so an administrator can always repair it",
      body: ZRbacConfigMap,
      bodyFormat: 'read-by-route',
      yaml: true,
      answers: { '200': ['{action: configured|unchanged, configMap}', ZAppliedRbacConfig] },
      errors: {
        '400':
          'Bad lines, each with its key and line number (data["policy.csv"] line 3), or a lock-out; nothing stored',
        '403': 'Not allowed: rbac, update, *',
      },
    }),
  },
};
