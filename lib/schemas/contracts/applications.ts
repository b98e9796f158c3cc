/** Contracts of Applications: list, create, one app and its actions. */
import { z } from 'zod';
import {
  ZApplicationDocument,
  ZListApplicationsQuery,
  ZRefreshRequest,
  ZRollbackRequest,
  ZSyncRequest,
} from '../applications';
import { contract } from '../contract';
import { appParam } from './params';

/** Every application call is authorized (Argo CD's actions on <project>/<name>). */
const DENIED = 'Not permitted: details.denied names {resource, action, object}';
const NO_APP = { '403': DENIED, '404': 'No such application' };
const flag = (name: string) => z.enum(['true', 'false'], { error: `${name} must be true or false` });

export const ZResourceQuery = z.object({
  group: z.string().max(253).default(''),
  kind: z.string({ error: 'give the kind' }).min(1, 'give the kind').max(63),
  namespace: z.string().max(63).default(''),
  name: z.string({ error: 'give the name' }).min(1, 'give the name').max(253),
});

export const applicationContracts = {
  '/api/v1/applications': {
    get: contract({
      summary:
        'The applications the caller may get (applications, get, <project>/<name>), by name, paged on the server, with total and health/sync facets of that permitted set (facets counted over the search only); each item carries syncWindow {state: allowed | blocked | manual-only, reason, windows: [{kind, schedule, duration, timeZone, manualSync}]}',
      query: ZListApplicationsQuery,
      queryHint: 'health, sync, cluster, namespace, search; limit 1–500, offset ≥ 0.',
      answers: { '200': '{items: ApplicationSummary[], total, limit, offset, facets: {health, sync}}' },
      errors: { '400': 'Bad filter or paging', '403': DENIED },
    }),
    post: contract({
      summary:
        'Create an Application from an Argo CD document (argoproj.io/v1alpha1); ?upsert=true replaces an existing spec',
      query: z.object({ upsert: flag('upsert').optional() }),
      body: ZApplicationDocument,
      bodyFormat: 'json-checked-by-service',
      answers: { '201': 'Created: the Application with status', '200': 'Replaced (upsert)' },
      errors: {
        '400':
          'Invalid document, unknown destination cluster, refused repo URL or multi-source, spec.project missing, or the project refuses the repo or destination (an issue per refusal naming the rule); nothing stored',
        '403': DENIED,
        '409': 'Name taken (without upsert)',
      },
    }),
  },
  '/api/v1/applications/{name}': {
    get: contract({
      summary:
        "An Application: spec, status, operationState, history, pin, status.syncWindow (as in the list) and, when the app's project sets spec.orphanedResources, status.orphanedResources [{group, kind, namespace, name}]: untracked top-level objects of its namespace (with warn, the default, an OrphanedResourceWarning condition 'Application has N orphaned resources')",
      path: appParam,
      answers: { '200': 'Application' },
      errors: NO_APP,
    }),
    put: contract({
      summary: 'Replace the spec (bumps generation, asks for a refresh)',
      path: appParam,
      body: ZApplicationDocument,
      bodyFormat: 'json-checked-by-service',
      answers: { '200': 'Application' },
      errors: {
        ...NO_APP,
        '400': 'Invalid document, name mismatch, or the project refuses it (naming the rule)',
        '409': 'Being deleted',
      },
    }),
    delete: contract({
      summary:
        "Delete, as Argo CD: by default (cascade) the controller deletes the app's objects, then the app (202); with ?cascade=false the app goes at once and the objects stay (204)",
      path: appParam,
      query: z.object({ cascade: flag('cascade').default('true') }),
      answers: { '204': 'Deleted', '202': 'Cascading deletion requested: {deleting, deletion}' },
      errors: { ...NO_APP, '409': 'Being deleted already, or an operation is running' },
    }),
  },
  '/api/v1/applications/{name}/refresh': {
    post: contract({
      summary: 'Compare again now (hard: re-render without cache)',
      path: appParam,
      body: ZRefreshRequest,
      bodyRequired: false,
      answers: { '202': '{name, refresh}' },
      errors: NO_APP,
    }),
  },
  '/api/v1/applications/{name}/sync': {
    post: contract({
      summary: 'Queue a sync operation (revision defaults to the pinned revision, else targetRevision)',
      path: appParam,
      body: ZSyncRequest,
      bodyRequired: false,
      answers: { '202': 'The queued operation (operationState)' },
      errors: {
        ...NO_APP,
        '400':
          'Selected resources not part of the app, or the project refuses the app (InvalidSpecError, naming the rule)',
        '409': 'Another operation is in progress, or blocked by a sync window (named)',
      },
    }),
  },
  '/api/v1/applications/{name}/operation': {
    get: contract({
      summary: 'An operation by ?id=, else the newest (operationState)',
      path: appParam,
      query: z.object({ id: z.uuid().optional() }),
      queryHint: 'Use the id returned by sync or rollback.',
      answers: { '200': 'operationState' },
      errors: { ...NO_APP, '400': 'id is not a UUID', '404': 'No such application or operation' },
    }),
    delete: contract({
      summary: 'Terminate the running operation',
      path: appParam,
      answers: { '202': 'The operation, Terminating' },
      errors: { ...NO_APP, '409': 'No operation running' },
    }),
  },
  '/api/v1/applications/{name}/rollback': {
    post: contract({
      summary: 'Roll back to a history id: sync that SHA and pin the app to it',
      path: appParam,
      body: ZRollbackRequest,
      answers: { '202': 'The queued operation' },
      errors: {
        ...NO_APP,
        '400': 'Unknown history id (lists the valid ones), or the project refuses the app',
        '409': 'Another operation is in progress, or blocked by a sync window (named)',
      },
    }),
  },
  '/api/v1/applications/{name}/unpin': {
    post: contract({
      summary: 'Remove the pin: follow targetRevision again',
      path: appParam,
      answers: { '200': 'Application' },
      errors: NO_APP,
    }),
  },
  '/api/v1/applications/{name}/history': {
    get: contract({
      summary: 'Deployment history, newest first',
      path: appParam,
      answers: { '200': '{items: HistoryEntry[]}' },
      errors: NO_APP,
    }),
  },
  '/api/v1/applications/{name}/tree': {
    get: contract({
      summary:
        "Resource tree: app resources and owned children; orphanedNodes (orphaned: true) when the app's project sets spec.orphanedResources, as Argo CD",
      path: appParam,
      answers: { '200': '{nodes: TreeNode[], orphanedNodes?: TreeNode[]}' },
      errors: NO_APP,
    }),
  },
  '/api/v1/applications/{name}/resource': {
    get: contract({
      summary: 'One resource: status, health, live and desired manifests, diff and events',
      path: appParam,
      query: ZResourceQuery,
      queryHint: 'Give ?group=&kind=&namespace=&name= of a resource of the app.',
      answers: { '200': 'ResourceDetail' },
      errors: { ...NO_APP, '400': 'Missing kind or name' },
    }),
  },
  '/api/v1/applications/{name}/diff': {
    get: contract({
      summary:
        'Every resource with its sync status and unified diff (last comparison); ?revision= previews a sync to that branch, tag or SHA against the live cluster',
      path: appParam,
      query: z.object({ revision: z.string().max(255).optional() }),
      answers: { '200': '{name, revision, hasDiff, items}' },
      errors: {
        ...NO_APP,
        '400': 'Unknown revision or rendering failed',
        '409': "The app's cluster is not registered",
      },
    }),
  },
};
