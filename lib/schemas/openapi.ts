import { z } from 'zod';
import { KEELSON_VERSION } from '../version';
import {
  ZApplicationDocument,
  ZRefreshRequest,
  ZRollbackRequest,
  ZSetWebhookSecret,
  ZSyncRequest,
} from './applications';
import { ZCanIAnswer, ZCanIBatch, ZCanIResults } from './access';
import { ZAccount, ZAccountList, ZCreateAccount, ZMe, ZUpdatePassword } from './accounts';
import { ZErrorBody, ZPrincipal } from './errors';
import { ZAddCluster, ZAddRepository } from './gitops';
import { zItems } from './list';
import { accessPaths } from './openapi-access';
import { accountPaths } from './openapi-accounts';
import { applicationPaths } from './openapi-applications';
import { auditPaths } from './openapi-audit';
import { pipelinePaths } from './openapi-pipelines';
import { settingsPaths } from './openapi-settings';
import { ZPipelineSettingsInput, ZPipelineSettingsView } from './pipeline-settings';
import { podLogPaths } from './openapi-pod-logs';
import { ZPodList } from './pod-logs';
import { ZAuditList } from './audit';
import { operationBuilder, pathParam, queryParam, type Operation } from './openapi-operation';
import { ZCancelRun, ZRerunRun, ZStartPipeline } from './pipelines';
import { ZCreateProjectToken } from './projects';
import { ZAppProject } from '../domain/gitops/projects';
import { ZRbacConfigMap } from '../domain/access/rbac-config';
import { ZApiToken, ZCreatedToken, ZCreateTokenInput, ZPasswordLogin } from './tokens';

const schemas = {
  Error: ZErrorBody,
  Principal: ZPrincipal,
  ApiToken: ZApiToken,
  CreatedToken: ZCreatedToken,
  CreateTokenInput: ZCreateTokenInput,
  PasswordLogin: ZPasswordLogin,
  TokenList: zItems(ZApiToken),
  Version: z.object({ version: z.string(), node: z.string() }),
  StartPipeline: ZStartPipeline,
  AddRepository: ZAddRepository,
  AddCluster: ZAddCluster,
  CancelRun: ZCancelRun,
  RerunRun: ZRerunRun,
  ApplicationDocument: ZApplicationDocument,
  SyncRequest: ZSyncRequest,
  RollbackRequest: ZRollbackRequest,
  RefreshRequest: ZRefreshRequest,
  SetWebhookSecret: ZSetWebhookSecret,
  CanIAnswer: ZCanIAnswer,
  CanIBatch: ZCanIBatch,
  CanIResults: ZCanIResults,
  AuditList: ZAuditList,
  Account: ZAccount,
  AccountList: ZAccountList,
  CreateAccount: ZCreateAccount,
  UpdatePassword: ZUpdatePassword,
  Me: ZMe,
  AppProject: ZAppProject,
  RbacConfigMap: ZRbacConfigMap,
  CreateProjectToken: ZCreateProjectToken,
  PodList: ZPodList,
  PipelineSettingsInput: ZPipelineSettingsInput,
  PipelineSettingsView: ZPipelineSettingsView,
};
export type SchemaName = keyof typeof schemas;

const op = operationBuilder<SchemaName>('Error');
const name = [pathParam('name')];

/** Every /api route, documented from the same zod schemas the routes validate with. */
export const paths: Record<string, Record<string, Operation>> = {
  '/api/healthz': { get: op('Liveness', { public: true, answers: { '200': 'The process is up' } }) },
  '/api/readyz': {
    get: op('Readiness: database and job queue', {
      public: true,
      answers: {
        '200': 'Ready: {ready: true, checks: {database: ok, queue: ok}}',
        '503': 'Not ready: each check is ok, unavailable or timed out (the error itself is in the server log)',
      },
    }),
  },
  '/api/v1/version': { get: op('Server version', { answers: { '200': ['Version', 'Version'] } }) },
  '/api/v1/openapi.json': { get: op('This OpenAPI document', { answers: { '200': 'OpenAPI 3.1' } }) },
  '/api/v1/me': {
    get: op('The caller: username, groups, and its roles from the policy (policy.default and g lines)', {
      answers: { '200': ['The authenticated user', 'Me'] },
    }),
  },
  '/api/v1/account/can-i': {
    get: op('Whether the caller may do an action (as `argocd account can-i ACTION RESOURCE OBJECT`)', {
      params: ['resource', 'action', 'object'].map(queryParam),
      answers: { '200': ['yes or no', 'CanIAnswer'] },
      errors: { '400': 'resource or action missing' },
    }),
    post: op('Several permission questions at once (drives the UI buttons); answers in order', {
      body: 'CanIBatch',
      answers: { '200': ['One boolean per check', 'CanIResults'] },
      errors: { '400': 'Bad checks' },
    }),
  },
  '/api/v1/tokens': {
    get: op("List the caller's API tokens", { answers: { '200': ['Tokens', 'TokenList'] } }),
    post: op('Create an API token (returned once)', {
      body: 'CreateTokenInput',
      answers: { '201': ['Created', 'CreatedToken'] },
      errors: { '400': 'Invalid body', '413': 'Body too large' },
    }),
  },
  '/api/v1/tokens/{id}': {
    delete: op('Revoke an API token', {
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      answers: { '204': 'Revoked' },
      errors: { '404': 'No such active token' },
    }),
  },
  ...pipelinePaths(op),
  '/api/v1/triggers': {
    get: op('Triggers: provider, pipeline, filter, webhook path and last delivery', {
      answers: {
        '200': '{items: [{name, provider, pipeline, filter, webhookPath, secretRef, updatedAt, lastDelivery}]}',
      },
    }),
  },
  '/api/v1/triggers/{name}/deliveries': {
    get: op(
      "A Trigger's recorded webhook deliveries with their outcome (started, filtered, rejected, error), newest first",
      {
        params: [
          pathParam('name'),
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
          },
        ],
        answers: { '200': '{items: [{id, receivedAt, event, outcome, httpStatus, reason, runName, deliveryId}]}' },
        errors: { '400': 'Invalid limit', '404': 'No such Trigger' },
      },
    ),
  },
  '/api/webhooks/triggers/{name}': {
    post: op('A GitHub (X-Hub-Signature-256) or GitLab (X-Gitlab-Token) webhook for a Trigger', {
      public: true,
      params: name,
      answers: {
        '200':
          'Duplicate, ignored: this delivery id (or, for GitHub, this signed body) already started a run within the retention window: {outcome: duplicate, reason}',
        '201': 'A PipelineRun was started: {outcome, run}',
        '202': 'Filtered out by event or branch: {outcome, reason}',
        '400': 'The payload is not JSON, or nests deeper than 64 levels; nothing started',
        '401': 'Bad or missing signature; nothing started',
        '404': 'No such trigger; nothing stored',
        '413': 'Body over 5 MB; nothing processed',
      },
    }),
  },
  '/api/v1/repositories': {
    get: op('Repositories (credentials are never returned)', {
      answers: { '200': '{items: [{id, url, hasCredentials}]}' },
    }),
    post: op('Add a repository after reading its HEAD with the given credentials', {
      body: 'AddRepository',
      answers: { '201': '{id, url}' },
      errors: { '400': 'Unreachable, bad credentials, or a local URL while those are off', '409': 'Already added' },
    }),
    delete: op('Remove a repository', {
      params: [{ ...queryParam('url'), required: true }],
      answers: { '204': 'Removed' },
      errors: { '404': 'No such repository' },
    }),
  },
  '/api/v1/clusters': {
    get: op('Clusters (credentials are never returned)', { answers: { '200': '{items}' } }),
    post: op('Register a cluster (refused unless its API server answers /version with those credentials)', {
      body: 'AddCluster',
      answers: { '201': '{id, name, server, serverVersion}' },
      errors: { '400': 'Unreachable or bad credentials', '409': 'Name taken' },
    }),
  },
  '/api/v1/clusters/{name}': {
    delete: op('Remove a cluster', {
      params: name,
      answers: { '204': 'Removed' },
      errors: { '404': 'No such cluster' },
    }),
  },
  '/api/v1/taskruns/{name}/logs': {
    get: op("A TaskRun's whole stored log (JSON chunks, or text with ?format=text)", {
      params: [
        pathParam('name'),
        { name: 'format', in: 'query', required: false, schema: { type: 'string', enum: ['json', 'text'] } },
      ],
      answers: { '200': 'The log' },
      errors: { '404': 'No such TaskRun' },
    }),
  },
  '/api/v1/taskruns/{name}/logs/stream': {
    get: op("A TaskRun's log as server-sent events (event: chunk … event: end); resumes from Last-Event-ID", {
      params: name,
      answers: { '200': 'text/event-stream' },
      errors: { '404': 'No such TaskRun' },
    }),
  },
  '/api/v1/session/token': {
    post: op('Exchange a local username and password for a new API token', {
      public: true,
      body: 'PasswordLogin',
      answers: { '201': ['Created', 'CreatedToken'] },
      errors: { '401': 'Invalid credentials', '429': 'Too many attempts' },
    }),
  },
  ...applicationPaths(op),
  ...podLogPaths(op),
  ...auditPaths(op),
  ...accountPaths(op),
  ...accessPaths(op),
  ...settingsPaths(op),
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
