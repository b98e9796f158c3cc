/** OpenAPI paths of Applications, webhook secrets and the Git webhook; merged into openapi.ts. */
import type { SchemaName } from './openapi';
import { pathParam, queryParam, type Operation, type OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

/** Every application call is authorized (Argo CD's actions on <project>/<name>). */
const DENIED = 'Not permitted: details.denied names {resource, action, object}';

export function applicationPaths(op: Op) {
  const name = [pathParam('name')];
  /** An operation on one application: a 404 when there is none. */
  const appOp = (summary: string, s: Omit<OperationSpec<SchemaName>, 'params'> & { query?: string[] }) =>
    op(summary, {
      ...s,
      params: [...name, ...(s.query ?? []).map(queryParam)],
      errors: { ...s.errors, '403': DENIED, '404': s.errors?.['404'] ?? 'No such application' },
    });
  return {
    '/api/v1/applications': {
      get: op(
        'The applications the caller may get (applications, get, <project>/<name>), by name, paged on the server, with total and health/sync facets of that permitted set (facets counted over the search only); each item carries syncWindow {state: allowed | blocked | manual-only, reason, windows: [{kind, schedule, duration, timeZone, manualSync}]}',
        {
          params: ['health', 'sync', 'cluster', 'namespace', 'search', 'limit', 'offset'].map(queryParam),
          answers: { '200': '{items: ApplicationSummary[], total, limit, offset, facets: {health, sync}}' },
          errors: { '400': 'Bad filter or paging', '403': DENIED },
        },
      ),
      post: op(
        'Create an Application from an Argo CD document (argoproj.io/v1alpha1); ?upsert=true replaces an existing spec',
        {
          params: [{ name: 'upsert', in: 'query', required: false, schema: { type: 'boolean' } }],
          body: 'ApplicationDocument',
          answers: { '201': 'Created: the Application with status', '200': 'Replaced (upsert)' },
          errors: {
            '400':
              'Invalid document, unknown destination cluster, refused repo URL or multi-source, spec.project missing, or the project refuses the repo or destination (an issue per refusal naming the rule); nothing stored',
            '403': DENIED,
            '409': 'Name taken (without upsert)',
          },
        },
      ),
    },
    '/api/v1/applications/{name}': {
      get: appOp(
        "An Application: spec, status, operationState, history, pin, status.syncWindow (as in the list) and, when the app's project sets spec.orphanedResources, status.orphanedResources [{group, kind, namespace, name}]: untracked top-level objects of its namespace (with warn, the default, an OrphanedResourceWarning condition 'Application has N orphaned resources')",
        {
          answers: { '200': 'Application' },
        },
      ),
      put: appOp('Replace the spec (bumps generation, asks for a refresh)', {
        body: 'ApplicationDocument',
        answers: { '200': 'Application' },
        errors: {
          '400': 'Invalid document, name mismatch, or the project refuses it (naming the rule)',
          '409': 'Being deleted',
        },
      }),
      delete: op(
        "Delete, as Argo CD: by default (cascade) the controller deletes the app's objects, then the app (202); with ?cascade=false the app goes at once and the objects stay (204)",
        {
          params: [
            ...name,
            { name: 'cascade', in: 'query', required: false, schema: { type: 'boolean', default: true } },
          ],
          answers: { '204': 'Deleted', '202': 'Cascading deletion requested: {deleting, deletion}' },
          errors: { '403': DENIED, '404': 'No such application' },
        },
      ),
    },
    '/api/v1/applications/{name}/refresh': {
      post: appOp('Compare again now (hard: re-render without cache)', {
        optionalBody: 'RefreshRequest',
        answers: { '202': '{name, refresh}' },
      }),
    },
    '/api/v1/applications/{name}/sync': {
      post: appOp('Queue a sync operation (revision defaults to the pinned revision, else targetRevision)', {
        optionalBody: 'SyncRequest',
        answers: { '202': 'The queued operation (operationState)' },
        errors: {
          '400':
            'Selected resources not part of the app, or the project refuses the app (InvalidSpecError, naming the rule)',
          '409': 'Another operation is in progress, or blocked by a sync window (named)',
        },
      }),
    },
    '/api/v1/applications/{name}/operation': {
      get: appOp('An operation by ?id=, else the newest (operationState)', {
        query: ['id'],
        answers: { '200': 'operationState' },
        errors: { '400': 'id is not a UUID', '404': 'No such application or operation' },
      }),
      delete: appOp('Terminate the running operation', {
        answers: { '202': 'The operation, Terminating' },
        errors: { '409': 'No operation running' },
      }),
    },
    '/api/v1/applications/{name}/rollback': {
      post: appOp('Roll back to a history id: sync that SHA and pin the app to it', {
        body: 'RollbackRequest',
        answers: { '202': 'The queued operation' },
        errors: {
          '400': 'Unknown history id (lists the valid ones), or the project refuses the app',
          '409': 'Another operation is in progress, or blocked by a sync window (named)',
        },
      }),
    },
    '/api/v1/applications/{name}/unpin': {
      post: appOp('Remove the pin: follow targetRevision again', { answers: { '200': 'Application' } }),
    },
    '/api/v1/applications/{name}/history': {
      get: appOp('Deployment history, newest first', { answers: { '200': '{items: HistoryEntry[]}' } }),
    },
    '/api/v1/applications/{name}/tree': {
      get: appOp(
        "Resource tree: app resources and owned children; orphanedNodes (orphaned: true) when the app's project sets spec.orphanedResources, as Argo CD",
        { answers: { '200': '{nodes: TreeNode[], orphanedNodes?: TreeNode[]}' } },
      ),
    },
    '/api/v1/applications/{name}/resource': {
      get: op('One resource: status, health, live and desired manifests, diff and events', {
        params: [
          ...name,
          ...['group', 'kind', 'namespace', 'name'].map((q) => ({
            ...queryParam(q),
            ...(q === 'kind' ? { required: true } : {}),
          })),
        ],
        answers: { '200': 'ResourceDetail' },
        errors: { '400': 'Missing kind or name', '404': 'No such application' },
      }),
    },
    '/api/v1/applications/{name}/diff': {
      get: appOp(
        'Every resource with its sync status and unified diff (last comparison); ?revision= previews a sync to that branch, tag or SHA against the live cluster',
        {
          query: ['revision'],
          answers: { '200': '{name, revision, hasDiff, items}' },
          errors: { '400': 'Unknown revision or rendering failed', '409': "The app's cluster is not registered" },
        },
      ),
    },
    '/api/v1/settings/webhooks': {
      get: op('Git webhook secrets: which providers have one (secrets are never returned)', {
        answers: { '200': '{items: [{provider, configured, updatedBy, updatedAt}]}' },
      }),
    },
    '/api/v1/settings/webhooks/{provider}': {
      put: op('Set the webhook secret of github, gitlab or bitbucket', {
        params: [pathParam('provider')],
        body: 'SetWebhookSecret',
        answers: { '200': '{provider, configured, updatedBy, updatedAt}' },
        errors: { '400': 'Unknown provider or short secret' },
      }),
      delete: op('Remove a webhook secret (deliveries are then accepted unsigned)', {
        params: [pathParam('provider')],
        answers: { '204': 'Removed' },
        errors: { '404': 'None set' },
      }),
    },
    '/api/webhooks/git': {
      post: op(
        'Git push webhook: GitHub (X-Hub-Signature-256), GitLab (X-Gitlab-Token), Bitbucket (X-Event-Key, X-Hub-Signature). Refreshes the apps whose repo and branch match',
        {
          public: true,
          answers: {
            '200':
              '{provider, refreshed: <how many applications were asked to refresh>} (a count: the caller may be anyone)',
            '202': 'Not a push event: {provider, refreshed: 0, ignored}',
          },
          errors: {
            '400': 'Unknown provider or invalid payload',
            '401': 'Secret set for the provider and signature missing or bad; nothing refreshed',
            '413': 'Body over 5 MB',
          },
        },
      ),
    },
  };
}
