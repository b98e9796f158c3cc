/** OpenAPI paths of the audit log; merged into openapi.ts. */
import type { SchemaName } from './openapi';
import { queryParam, type Operation, type OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

export function auditPaths(op: Op) {
  return {
    '/api/v1/audit': {
      get: op(
        'The audit log, newest first, paged on the server: who (actor), via what (ui, api, cli, project-token, trigger, controller, system), action, object, result, IP and details (details.diff: an RFC 6902 JSON Patch of a spec change, Secret values masked). role:admin only (`audit, get, *`)',
        {
          params: ['user', 'resource', 'action', 'object', 'result', 'via', 'since', 'until', 'limit', 'offset'].map(
            queryParam,
          ),
          answers: { '200': ['{items, total, limit, offset}', 'AuditList'] },
          errors: { '400': 'Bad filter, time (RFC 3339 or 30m/1h/7d) or paging', '403': 'Not permitted: audit get *' },
        },
      ),
    },
  };
}
