/** Contracts of local accounts (Argo CD's `argocd account`), the audit log and Settings → Pipelines. */
import { z } from 'zod';
import { ZAccount, ZAccountList, ZCreateAccount, ZUpdatePassword } from '../accounts';
import { ZAuditList, ZAuditQuery } from '../audit';
import { contract } from '../contract';
import { ZPipelineSettingsInput, ZPipelineSettingsView } from '../pipeline-settings';
import { ZAccountParam } from './params';

const denied = (what: string) => `Not allowed: ${what} ({resource: accounts, action, object: name} named)`;
const accountParam = z.object({ name: ZAccountParam });

export const accountContracts = {
  '/api/v1/accounts': {
    get: contract({
      summary: 'Accounts the caller may get (accounts, get, <name>): local and SSO, with their roles from g lines',
      answers: { '200': ['{items: Account[], defaultRole}', ZAccountList] },
    }),
    post: contract({
      summary: 'Create a local account (needs accounts, update, <name>); its roles come from argocd-rbac-cm g lines',
      body: ZCreateAccount,
      answers: { '201': ['Created', ZAccount] },
      errors: { '400': 'Invalid name or password (field named)', '403': denied('update'), '409': 'Name taken' },
    }),
  },
  '/api/v1/accounts/{name}': {
    get: contract({
      summary: 'One account (needs accounts, get, <name>)',
      path: accountParam,
      answers: { '200': ['The account', ZAccount] },
      errors: { '403': denied('get'), '404': 'No such account' },
    }),
    delete: contract({
      summary:
        'Delete an account (needs accounts, update, <name>): its sessions end and its API tokens stop working. The built-in admin and your own account cannot be deleted',
      path: accountParam,
      answers: { '204': 'Deleted' },
      errors: { '400': 'The built-in admin, or yourself', '403': denied('update'), '404': 'No such account' },
    }),
  },
  '/api/v1/accounts/{name}/password': {
    put: contract({
      summary:
        "Change a password: your own with currentPassword, or another local account's with accounts, update, <name> (its sessions end)",
      path: accountParam,
      body: ZUpdatePassword,
      answers: { '204': 'Changed' },
      errors: {
        '400': 'Password too short, current password missing or wrong, or an SSO account',
        '403': denied('update'),
        '404': 'No such account',
      },
    }),
  },
  '/api/v1/audit': {
    get: contract({
      summary:
        'The audit log, newest first, paged on the server: who (actor), via what (ui, api, cli, project-token, trigger, controller, system), action, object, result, IP and details (details.diff: an RFC 6902 JSON Patch of a spec change, Secret values masked). role:admin only (`audit, get, *`)',
      query: ZAuditQuery,
      queryHint:
        'user, resource, action, object, result, via; since/until as RFC 3339 or 30m/1h/7d; limit 1–500, offset ≥ 0.',
      answers: { '200': ['{items, total, limit, offset}', ZAuditList] },
      errors: { '400': 'Bad filter, time (RFC 3339 or 30m/1h/7d) or paging', '403': 'Not permitted: audit get *' },
    }),
  },
  '/api/v1/settings/pipelines': {
    get: contract({
      summary:
        'Where TaskRuns run (the `pipelines.executor` setting): the registered cluster (null: the local executor), the namespace template per project, the Kubernetes executor bounds, the setting in force (KEELSON_PIPELINE_CLUSTER wins over the stored cluster) and the registered clusters to choose from (clusters, get, *; role:readonly has it)',
      answers: { '200': ['The setting, what is in force and where it came from', ZPipelineSettingsView] },
      errors: { '403': 'Not allowed: clusters, get, *' },
    }),
    put: contract({
      summary:
        'Store the `pipelines.executor` setting (fields left out take their defaults): cluster (a registered cluster, or null), namespace (template, `{project}` replaced by the project name, a DNS-1123 label; default `{project}`), maxConcurrentTaskRuns (1-10000, default 20, across all workers), keepFinishedPodsMinutes (default 0), startTimeoutSeconds (default 300). Needs clusters, update, * (role:admin). Audited (settings.pipelines.update); workers follow within seconds. A TaskRun or PipelineRun annotation `keelson.dev/executor: local|kubernetes` overrides it per run',
      body: ZPipelineSettingsInput,
      // The body is checked after the caller is authorized (a refused caller learns nothing of the rules).
      bodyFormat: 'json-checked-by-service',
      maxBodyBytes: 16 * 1024,
      answers: { '200': ['Stored (action configured) or unchanged', ZPipelineSettingsView] },
      errors: {
        '400':
          'A field is wrong (issues name it: an unregistered cluster, a namespace template that is no DNS-1123 label, a bound out of range); nothing stored',
        '403': 'Not allowed: clusters, update, *',
      },
    }),
  },
};
