/** OpenAPI paths of Applications, webhook secrets and the Git webhook; merged into openapi.ts. */
type Json = Record<string, unknown>;

interface Helpers {
  json: (
    name: 'ApplicationDocument' | 'SyncRequest' | 'RollbackRequest' | 'RefreshRequest' | 'SetWebhookSecret',
  ) => Json;
  error: (description: string) => Json;
  authErrors: Json;
  pathParam: (name: string) => Json;
  queryParam: (name: string) => Json;
}

export function applicationPaths({ json, error, authErrors, pathParam, queryParam }: Helpers) {
  const name = [pathParam('name')];
  const notFound = { '404': error('No such application'), ...authErrors };
  return {
    '/api/v1/applications': {
      get: {
        summary:
          'Applications by name, paged on the server, with total and health/sync facets (counted over the search only)',
        parameters: ['health', 'sync', 'cluster', 'namespace', 'search', 'limit', 'offset'].map(queryParam),
        responses: {
          '200': { description: '{items: ApplicationSummary[], total, limit, offset, facets: {health, sync}}' },
          '400': error('Bad filter or paging'),
          ...authErrors,
        },
      },
      post: {
        summary:
          'Create an Application from an Argo CD document (argoproj.io/v1alpha1); ?upsert=true replaces an existing spec',
        parameters: [{ name: 'upsert', in: 'query', required: false, schema: { type: 'boolean' } }],
        requestBody: { required: true, ...json('ApplicationDocument') },
        responses: {
          '201': { description: 'Created: the Application with status' },
          '200': { description: 'Replaced (upsert)' },
          '400': error(
            'Invalid document, unknown destination cluster, refused repo URL or multi-source; nothing stored',
          ),
          '409': error('Name taken (without upsert)'),
          ...authErrors,
        },
      },
    },
    '/api/v1/applications/{name}': {
      get: {
        summary: 'An Application: spec, status, operationState, history and pin',
        parameters: name,
        responses: { '200': { description: 'Application' }, ...notFound },
      },
      put: {
        summary: 'Replace the spec (bumps generation, asks for a refresh)',
        parameters: name,
        requestBody: { required: true, ...json('ApplicationDocument') },
        responses: {
          '200': { description: 'Application' },
          '400': error('Invalid document or name mismatch'),
          '409': error('Being deleted'),
          ...notFound,
        },
      },
      delete: {
        summary:
          "Delete, as Argo CD: by default (cascade) the controller deletes the app's objects, then the app (202); with ?cascade=false the app goes at once and the objects stay (204)",
        parameters: [
          ...name,
          { name: 'cascade', in: 'query', required: false, schema: { type: 'boolean', default: true } },
        ],
        responses: {
          '204': { description: 'Deleted' },
          '202': { description: 'Cascading deletion requested: {deleting, deletion}' },
          ...notFound,
        },
      },
    },
    '/api/v1/applications/{name}/refresh': {
      post: {
        summary: 'Compare again now (hard: re-render without cache)',
        parameters: name,
        requestBody: { required: false, ...json('RefreshRequest') },
        responses: { '202': { description: '{name, refresh}' }, ...notFound },
      },
    },
    '/api/v1/applications/{name}/sync': {
      post: {
        summary: 'Queue a sync operation (revision defaults to the pinned revision, else targetRevision)',
        parameters: name,
        requestBody: { required: false, ...json('SyncRequest') },
        responses: {
          '202': { description: 'The queued operation (operationState)' },
          '400': error('Selected resources not part of the app'),
          '409': error('Another operation is in progress'),
          ...notFound,
        },
      },
    },
    '/api/v1/applications/{name}/operation': {
      get: {
        summary: 'An operation by ?id=, else the newest (operationState)',
        parameters: [...name, queryParam('id')],
        responses: {
          '200': { description: 'operationState' },
          '400': error('id is not a UUID'),
          '404': error('No such application or operation'),
          ...authErrors,
        },
      },
      delete: {
        summary: 'Terminate the running operation',
        parameters: name,
        responses: {
          '202': { description: 'The operation, Terminating' },
          '409': error('No operation running'),
          ...notFound,
        },
      },
    },
    '/api/v1/applications/{name}/rollback': {
      post: {
        summary: 'Roll back to a history id: sync that SHA and pin the app to it',
        parameters: name,
        requestBody: { required: true, ...json('RollbackRequest') },
        responses: {
          '202': { description: 'The queued operation' },
          '400': error('Unknown history id (lists the valid ones)'),
          '409': error('Another operation is in progress'),
          ...notFound,
        },
      },
    },
    '/api/v1/applications/{name}/unpin': {
      post: {
        summary: 'Remove the pin: follow targetRevision again',
        parameters: name,
        responses: { '200': { description: 'Application' }, ...notFound },
      },
    },
    '/api/v1/applications/{name}/history': {
      get: {
        summary: 'Deployment history, newest first',
        parameters: name,
        responses: { '200': { description: '{items: HistoryEntry[]}' }, ...notFound },
      },
    },
    '/api/v1/applications/{name}/tree': {
      get: {
        summary: 'Resource tree: app resources and owned children',
        parameters: name,
        responses: { '200': { description: '{nodes: TreeNode[]}' }, ...notFound },
      },
    },
    '/api/v1/applications/{name}/resource': {
      get: {
        summary: 'One resource: status, health, live and desired manifests, diff and events',
        parameters: [
          ...name,
          ...['group', 'kind', 'namespace', 'name'].map((q) => ({
            ...queryParam(q),
            ...(q === 'kind' ? { required: true } : {}),
          })),
        ],
        responses: { '200': { description: 'ResourceDetail' }, '400': error('Missing kind or name'), ...notFound },
      },
    },
    '/api/v1/applications/{name}/diff': {
      get: {
        summary:
          'Every resource with its sync status and unified diff (last comparison); ?revision= previews a sync to that branch, tag or SHA against the live cluster',
        parameters: [...name, queryParam('revision')],
        responses: {
          '200': { description: '{name, revision, hasDiff, items}' },
          '400': error('Unknown revision or rendering failed'),
          '409': error("The app's cluster is not registered"),
          ...notFound,
        },
      },
    },
    '/api/v1/settings/webhooks': {
      get: {
        summary: 'Git webhook secrets: which providers have one (secrets are never returned)',
        responses: { '200': { description: '{items: [{provider, configured, updatedBy, updatedAt}]}' }, ...authErrors },
      },
    },
    '/api/v1/settings/webhooks/{provider}': {
      put: {
        summary: 'Set the webhook secret of github, gitlab or bitbucket',
        parameters: [pathParam('provider')],
        requestBody: { required: true, ...json('SetWebhookSecret') },
        responses: {
          '200': { description: '{provider, configured, updatedBy, updatedAt}' },
          '400': error('Unknown provider or short secret'),
          ...authErrors,
        },
      },
      delete: {
        summary: 'Remove a webhook secret (deliveries are then accepted unsigned)',
        parameters: [pathParam('provider')],
        responses: { '204': { description: 'Removed' }, '404': error('None set'), ...authErrors },
      },
    },
    '/api/webhooks/git': {
      post: {
        summary:
          'Git push webhook: GitHub (X-Hub-Signature-256), GitLab (X-Gitlab-Token), Bitbucket (X-Event-Key, X-Hub-Signature). Refreshes the apps whose repo and branch match',
        security: [],
        responses: {
          '200': {
            description:
              '{provider, refreshed: <how many applications were asked to refresh>} (a count: the caller may be anyone)',
          },
          '202': { description: 'Not a push event: {provider, refreshed: 0, ignored}' },
          '400': error('Unknown provider or invalid payload'),
          '401': error('Secret set for the provider and signature missing or bad; nothing refreshed'),
          '413': error('Body over 5 MB'),
        },
      },
    },
  };
}
