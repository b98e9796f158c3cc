/** OpenAPI paths of local accounts (Argo CD's `argocd account`); merged into openapi.ts. */
import type { SchemaName } from './openapi';
import { pathParam, type Operation, type OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

export function accountPaths(op: Op) {
  const params = [pathParam('name')];
  const denied = (what: string) => `Not allowed: ${what} ({resource: accounts, action, object: name} named)`;
  return {
    '/api/v1/accounts': {
      get: op('Accounts the caller may get (accounts, get, <name>): local and SSO, with their roles from g lines', {
        answers: { '200': ['{items: Account[], defaultRole}', 'AccountList'] },
      }),
      post: op('Create a local account (needs accounts, update, <name>); its roles come from argocd-rbac-cm g lines', {
        body: 'CreateAccount',
        answers: { '201': ['Created', 'Account'] },
        errors: { '400': 'Invalid name or password (field named)', '403': denied('update'), '409': 'Name taken' },
      }),
    },
    '/api/v1/accounts/{name}': {
      get: op('One account (needs accounts, get, <name>)', {
        params,
        answers: { '200': ['The account', 'Account'] },
        errors: { '403': denied('get'), '404': 'No such account' },
      }),
      delete: op(
        'Delete an account (needs accounts, update, <name>): its sessions end and its API tokens stop working. The built-in admin and your own account cannot be deleted',
        {
          params,
          answers: { '204': 'Deleted' },
          errors: { '400': 'The built-in admin, or yourself', '403': denied('update'), '404': 'No such account' },
        },
      ),
    },
    '/api/v1/accounts/{name}/password': {
      put: op(
        "Change a password: your own with currentPassword, or another local account's with accounts, update, <name> (its sessions end)",
        {
          params,
          body: 'UpdatePassword',
          answers: { '204': 'Changed' },
          errors: {
            '400': 'Password too short, current password missing or wrong, or an SSO account',
            '403': denied('update'),
            '404': 'No such account',
          },
        },
      ),
    },
  };
}
