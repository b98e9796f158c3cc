import { z } from 'zod';
import { KEELSON_VERSION } from '../version';
import {
  ZApplicationDocument,
  ZRefreshRequest,
  ZRollbackRequest,
  ZSetWebhookSecret,
  ZSyncRequest,
} from './applications';
import { ZErrorBody, ZPrincipal } from './errors';
import { ZAddCluster, ZAddRepository } from './gitops';
import { ZCancelRun, ZStartPipeline } from './pipelines';
import { applicationPaths } from './openapi-applications';
import { ZApiToken, ZCreatedToken, ZCreateTokenInput, ZPasswordLogin } from './tokens';

const schemas = {
  Error: ZErrorBody,
  Principal: ZPrincipal,
  ApiToken: ZApiToken,
  CreatedToken: ZCreatedToken,
  CreateTokenInput: ZCreateTokenInput,
  PasswordLogin: ZPasswordLogin,
  TokenList: z.object({ items: z.array(ZApiToken) }),
  Version: z.object({ version: z.string(), node: z.string() }),
  StartPipeline: ZStartPipeline,
  AddRepository: ZAddRepository,
  AddCluster: ZAddCluster,
  CancelRun: ZCancelRun,
  ApplicationDocument: ZApplicationDocument,
  SyncRequest: ZSyncRequest,
  RollbackRequest: ZRollbackRequest,
  RefreshRequest: ZRefreshRequest,
  SetWebhookSecret: ZSetWebhookSecret,
};
type SchemaName = keyof typeof schemas;

const ref = (name: SchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: SchemaName) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('Error') });
const authErrors = { '401': error('No or invalid credentials') };
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const queryParam = (name: string) => ({ name, in: 'query', required: false, schema: { type: 'string' } });

interface Operation {
  summary: string;
  security?: unknown[];
  requestBody?: unknown;
  parameters?: unknown[];
  responses: Record<string, unknown>;
}

/** Every /api route, documented from the same zod schemas the routes validate with. */
export const paths: Record<string, Record<string, Operation>> = {
  '/api/healthz': {
    get: { summary: 'Liveness', security: [], responses: { '200': { description: 'The process is up' } } },
  },
  '/api/readyz': {
    get: {
      summary: 'Readiness: database and job queue',
      security: [],
      responses: {
        '200': { description: 'Ready: {ready: true, checks: {database: ok, queue: ok}}' },
        '503': {
          description: 'Not ready: each check is ok, unavailable or timed out (the error itself is in the server log)',
        },
      },
    },
  },
  '/api/v1/version': {
    get: {
      summary: 'Server version',
      responses: { '200': { description: 'Version', ...json('Version') }, ...authErrors },
    },
  },
  '/api/v1/openapi.json': {
    get: { summary: 'This OpenAPI document', responses: { '200': { description: 'OpenAPI 3.1' }, ...authErrors } },
  },
  '/api/v1/me': {
    get: {
      summary: 'The caller',
      responses: { '200': { description: 'The authenticated user', ...json('Principal') }, ...authErrors },
    },
  },
  '/api/v1/tokens': {
    get: {
      summary: "List the caller's API tokens",
      responses: { '200': { description: 'Tokens', ...json('TokenList') }, ...authErrors },
    },
    post: {
      summary: 'Create an API token (returned once)',
      requestBody: { required: true, ...json('CreateTokenInput') },
      responses: {
        '201': { description: 'Created', ...json('CreatedToken') },
        '400': error('Invalid body'),
        '413': error('Body too large'),
        ...authErrors,
      },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      summary: 'Revoke an API token',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: { '204': { description: 'Revoked' }, '404': error('No such active token'), ...authErrors },
    },
  },
  '/api/v1/apply': {
    post: {
      summary:
        'Apply Tekton documents (multi-document YAML, or JSON) — Task, Pipeline, StepAction, PipelineRun, TaskRun, ConfigMap, Secret, PersistentVolumeClaim',
      requestBody: {
        required: true,
        content: { 'application/yaml': { schema: { type: 'string' } }, 'application/json': { schema: {} } },
      },
      responses: {
        '201': {
          description:
            'One line per document: {applied: [{kind, name, action}], runs: [name], warnings: [{path, message}]} (warnings: scripts that interpolate $(params.*) or $(body.*); pass values through env instead)',
        },
        '400': error(
          'Invalid documents (including YAML alias bombs and nesting deeper than 64 levels); nothing stored',
        ),
        '413': error('Body over 10 MB'),
        ...authErrors,
      },
    },
  },
  '/api/v1/pipelines': {
    get: {
      summary: 'Pipelines: newest version, task count and last run',
      responses: { '200': { description: '{items: PipelineSummary[]}' }, ...authErrors },
    },
  },
  '/api/v1/pipelines/{name}': {
    get: {
      summary: 'A Pipeline as applied (newest version) with its version list',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        '200': { description: '{name, version, versions, document}' },
        '404': error('No such Pipeline'),
        ...authErrors,
      },
    },
    delete: {
      summary: 'Delete every version of a Pipeline (its runs stay)',
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Deleted' }, '404': error('No such Pipeline'), ...authErrors },
    },
  },
  '/api/v1/pipelines/{name}/start': {
    post: {
      summary: "Start a PipelineRun of the pipeline's newest version",
      parameters: [pathParam('name')],
      requestBody: { required: true, ...json('StartPipeline') },
      responses: {
        '201': { description: '{id, name}' },
        '400': error('Missing or wrong params, unbound workspaces'),
        '404': error('No such Pipeline'),
        ...authErrors,
      },
    },
  },
  '/api/v1/pipelineruns': {
    get: {
      summary: 'PipelineRuns across pipelines, newest first, paged on the server',
      parameters: [queryParam('pipeline'), queryParam('status'), queryParam('page'), queryParam('limit')],
      responses: { '200': { description: '{total, page, limit, items}' }, ...authErrors },
    },
  },
  '/api/v1/pipelineruns/{name}': {
    get: {
      summary: 'A PipelineRun (tekton.dev/v1 shape) with its TaskRuns',
      parameters: [pathParam('name')],
      responses: { '200': { description: 'PipelineRun' }, '404': error('No such run'), ...authErrors },
    },
    delete: {
      summary: 'Delete a finished PipelineRun',
      parameters: [pathParam('name')],
      responses: { '204': { description: 'Deleted' }, '409': error('Still running'), ...authErrors },
    },
  },
  '/api/v1/pipelineruns/{name}/cancel': {
    post: {
      summary: 'Cancel: Cancelled, CancelledRunFinally or StoppedRunFinally',
      parameters: [pathParam('name')],
      requestBody: { required: true, ...json('CancelRun') },
      responses: { '200': { description: 'Requested' }, '409': error('Already finished'), ...authErrors },
    },
  },
  '/api/v1/pipelineruns/{name}/rerun': {
    post: {
      summary: 'Start a new run with the same params and workspaces',
      parameters: [pathParam('name')],
      responses: { '201': { description: '{id, name}' }, ...authErrors },
    },
  },
  '/api/v1/taskruns': {
    get: {
      summary: 'TaskRuns, newest first (optionally of one PipelineRun)',
      parameters: [queryParam('pipelineRun'), queryParam('limit')],
      responses: { '200': { description: '{items}' }, ...authErrors },
    },
  },
  '/api/v1/taskruns/{name}': {
    get: {
      summary: 'A TaskRun (tekton.dev/v1 shape)',
      parameters: [pathParam('name')],
      responses: { '200': { description: 'TaskRun' }, '404': error('No such TaskRun'), ...authErrors },
    },
  },
  '/api/v1/triggers': {
    get: {
      summary: 'Triggers: provider, pipeline, filter, webhook path and last delivery',
      responses: {
        '200': {
          description: '{items: [{name, provider, pipeline, filter, webhookPath, secretRef, updatedAt, lastDelivery}]}',
        },
        ...authErrors,
      },
    },
  },
  '/api/v1/triggers/{name}/deliveries': {
    get: {
      summary:
        "A Trigger's recorded webhook deliveries with their outcome (started, filtered, rejected, error), newest first",
      parameters: [
        pathParam('name'),
        {
          name: 'limit',
          in: 'query',
          required: false,
          schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
        },
      ],
      responses: {
        '200': { description: '{items: [{id, receivedAt, event, outcome, httpStatus, reason, runName, deliveryId}]}' },
        '400': error('Invalid limit'),
        '404': error('No such Trigger'),
        ...authErrors,
      },
    },
  },
  '/api/webhooks/triggers/{name}': {
    post: {
      summary: 'A GitHub (X-Hub-Signature-256) or GitLab (X-Gitlab-Token) webhook for a Trigger',
      security: [],
      parameters: [pathParam('name')],
      responses: {
        '200': {
          description:
            'Duplicate, ignored: this delivery id (or, for GitHub, this signed body) already started a run within the retention window: {outcome: duplicate, reason}',
        },
        '201': { description: 'A PipelineRun was started: {outcome, run}' },
        '202': { description: 'Filtered out by event or branch: {outcome, reason}' },
        '400': { description: 'The payload is not JSON, or nests deeper than 64 levels; nothing started' },
        '401': { description: 'Bad or missing signature; nothing started' },
        '404': { description: 'No such trigger; nothing stored' },
        '413': { description: 'Body over 5 MB; nothing processed' },
      },
    },
  },
  '/api/v1/repositories': {
    get: {
      summary: 'Repositories (credentials are never returned)',
      responses: { '200': { description: '{items: [{id, url, hasCredentials}]}' }, ...authErrors },
    },
    post: {
      summary: 'Add a repository after reading its HEAD with the given credentials',
      requestBody: { required: true, ...json('AddRepository') },
      responses: {
        '201': { description: '{id, url}' },
        '400': error('Unreachable, bad credentials, or a local URL while those are off'),
        '409': error('Already added'),
        ...authErrors,
      },
    },
    delete: {
      summary: 'Remove a repository',
      parameters: [{ name: 'url', in: 'query', required: true, schema: { type: 'string' } }],
      responses: { '204': { description: 'Removed' }, '404': error('No such repository'), ...authErrors },
    },
  },
  '/api/v1/clusters': {
    get: {
      summary: 'Clusters (credentials are never returned)',
      responses: { '200': { description: '{items}' }, ...authErrors },
    },
    post: {
      summary: 'Register a cluster (refused unless its API server answers /version with those credentials)',
      requestBody: { required: true, ...json('AddCluster') },
      responses: {
        '201': { description: '{id, name, server, serverVersion}' },
        '400': error('Unreachable or bad credentials'),
        '409': error('Name taken'),
        ...authErrors,
      },
    },
  },
  '/api/v1/clusters/{name}': {
    delete: {
      summary: 'Remove a cluster',
      parameters: [pathParam('name')],
      responses: { '204': { description: 'Removed' }, '404': error('No such cluster'), ...authErrors },
    },
  },
  '/api/v1/taskruns/{name}/logs': {
    get: {
      summary: "A TaskRun's whole stored log (JSON chunks, or text with ?format=text)",
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'text'] } },
      ],
      responses: { '200': { description: 'The log' }, '404': error('No such TaskRun'), ...authErrors },
    },
  },
  '/api/v1/taskruns/{name}/logs/stream': {
    get: {
      summary: "A TaskRun's log as server-sent events (event: chunk … event: end); resumes from Last-Event-ID",
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': { description: 'text/event-stream' }, '404': error('No such TaskRun'), ...authErrors },
    },
  },
  '/api/v1/session/token': {
    post: {
      summary: 'Exchange a local username and password for a new API token',
      security: [],
      requestBody: { required: true, ...json('PasswordLogin') },
      responses: {
        '201': { description: 'Created', ...json('CreatedToken') },
        '401': error('Invalid credentials'),
        '429': error('Too many attempts'),
      },
    },
  },
  ...applicationPaths({ json, error, authErrors, pathParam, queryParam }),
};

export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Keelson API', version: KEELSON_VERSION },
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from Settings → API tokens or `keelson login`',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      },
      schemas: Object.fromEntries(
        Object.entries(schemas).map(([name, s]) => [name, z.toJSONSchema(s, { io: 'input' })]),
      ),
    },
  };
}
