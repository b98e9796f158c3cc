/** Contracts of apply, Pipelines, PipelineRuns, TaskRuns, Triggers and the Trigger webhook. */
import { z } from 'zod';
import { BODY_LIMITS } from '../../domain/http/body-limits';
import { contract } from '../contract';
import { zItems } from '../list';
import { ZCancelRun, ZCreatedRun, ZPipelineDetail, ZPipelineSummary, ZRerunRun, ZStartPipeline } from '../pipelines';
import { ZPipelineRun, ZRunPage, ZTaskRun } from '../pipeline-runs';
import { ZTriggerDelivery, ZTriggerSummary } from '../triggers';
import { nameParam, ZObjectName } from './params';

const NO_RUN = { '403': 'Not allowed: pipelineruns on <project>/<name>', '404': 'No such run' };
const NO_TASKRUN = { '403': 'Not allowed to read its PipelineRun', '404': 'No such TaskRun' };

/** POST /api/v1/apply: one line per document, the runs it started, and script warnings. */
export const ZApplyAnswer = z.object({
  applied: z.array(z.object({ kind: z.string(), name: z.string(), action: z.string() })),
  runs: z.array(z.object({ kind: z.enum(['PipelineRun', 'TaskRun']), id: z.string(), name: z.string() })),
  warnings: z.array(z.object({ path: z.string(), message: z.string() })),
});

/** What a Trigger's webhook answers, whatever the status: the delivery's outcome, why, and the run it started. */
export const ZDeliveryAnswer = z.object({
  outcome: z.enum(['started', 'filtered', 'rejected', 'error', 'duplicate']),
  reason: z.string().optional(),
  run: z.string().optional(),
});

export const ZPipelineRunsQuery = z.object({
  pipeline: ZObjectName.optional(),
  status: z.string().min(1).max(64).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  limit: z.coerce.number().int().min(1).max(200).default(25),
});

export const pipelineContracts = {
  '/api/v1/apply': {
    post: contract({
      summary:
        'Apply Tekton documents (multi-document YAML, or JSON) — Task, Pipeline, StepAction, PipelineRun, TaskRun, ConfigMap, Secret, PersistentVolumeClaim',
      body: z.unknown(),
      bodyFormat: 'read-by-route',
      yaml: true,
      maxBodyBytes: BODY_LIMITS.apply,
      answers: {
        '201': [
          'One line per document: {applied: [{kind, name, action}], runs: [name], warnings: [{path, message}]} (warnings: scripts that interpolate $(params.*) or $(body.*); pass values through env instead)',
          ZApplyAnswer,
        ],
      },
      errors: {
        '400': 'Invalid documents (including YAML alias bombs and nesting deeper than 64 levels); nothing stored',
        '403': 'Not allowed to create one of the documents (named)',
        '413': 'Body over 10 MB',
      },
    }),
  },
  '/api/v1/pipelines': {
    get: contract({
      summary: 'Pipelines: newest version, task count and last run',
      answers: { '200': ['{items: PipelineSummary[]}', zItems(ZPipelineSummary)] },
    }),
  },
  '/api/v1/pipelines/{name}': {
    get: contract({
      summary: 'A Pipeline as applied (newest version) with its version list',
      path: nameParam,
      answers: { '200': ['{name, project, version, versions, document}', ZPipelineDetail] },
      errors: { '404': 'No such Pipeline' },
    }),
    delete: contract({
      summary: 'Delete every version of a Pipeline (its runs stay)',
      path: nameParam,
      answers: { '204': 'Deleted' },
      errors: { '404': 'No such Pipeline' },
    }),
  },
  '/api/v1/pipelines/{name}/start': {
    post: contract({
      summary: "Start a PipelineRun of the pipeline's newest version",
      path: nameParam,
      body: ZStartPipeline,
      answers: { '201': ['{id, name}', ZCreatedRun] },
      errors: { '400': 'Missing or wrong params, unbound workspaces', '404': 'No such Pipeline' },
    }),
  },
  '/api/v1/pipelineruns': {
    get: contract({
      summary:
        'PipelineRuns across pipelines, newest first, paged on the server (status: Running, Queued, Succeeded, Failed, Cancelled…)',
      query: ZPipelineRunsQuery,
      queryHint: 'page ≥ 1, limit 1–200.',
      answers: { '200': ['{total, page, limit, items}', ZRunPage] },
    }),
  },
  '/api/v1/pipelineruns/{name}': {
    get: contract({
      summary: 'A PipelineRun (tekton.dev/v1 shape) with its TaskRuns and its child PipelineRuns (childPipelineRuns)',
      path: nameParam,
      answers: { '200': ['PipelineRun', ZPipelineRun] },
      errors: NO_RUN,
    }),
    delete: contract({
      summary: 'Delete a finished PipelineRun, or one still queued in its concurrency group',
      path: nameParam,
      answers: { '204': 'Deleted' },
      errors: { ...NO_RUN, '409': 'Still running (or a child run whose parent is still running)' },
    }),
  },
  '/api/v1/pipelineruns/{name}/cancel': {
    post: contract({
      summary: 'Cancel: Cancelled, CancelledRunFinally or StoppedRunFinally',
      path: nameParam,
      body: ZCancelRun,
      answers: { '200': ['Requested: {name, mode}', z.object({ name: z.string(), mode: ZCancelRun.shape.mode })] },
      errors: { ...NO_RUN, '409': 'Already finished' },
    }),
  },
  '/api/v1/pipelineruns/{name}/rerun': {
    post: contract({
      summary:
        'Start a new run with the same params and workspaces; with {"fromFailed": true}, a run of the same frozen specs that reuses the results of the tasks that succeeded and runs only the others (and finally)',
      path: nameParam,
      body: ZRerunRun,
      bodyRequired: false,
      answers: { '201': ['{id, name}', ZCreatedRun] },
      errors: { ...NO_RUN, '409': 'fromFailed: the run has not finished, or nothing in it failed' },
    }),
  },
  '/api/v1/taskruns': {
    get: contract({
      summary: 'TaskRuns, newest first (optionally of one PipelineRun)',
      query: z.object({
        pipelineRun: ZObjectName.optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      queryHint: 'pipelineRun: a PipelineRun name; limit 1–200.',
      answers: { '200': ['{items: TaskRun[]}', zItems(ZTaskRun)] },
      errors: { '404': 'No such PipelineRun (pipelineRun)' },
    }),
  },
  '/api/v1/taskruns/{name}': {
    get: contract({
      summary: 'A TaskRun (tekton.dev/v1 shape)',
      path: nameParam,
      answers: { '200': ['TaskRun', ZTaskRun] },
      errors: NO_TASKRUN,
    }),
  },
  '/api/v1/taskruns/{name}/logs': {
    get: contract({
      summary: "A TaskRun's whole stored log (JSON chunks, or text with ?format=text)",
      path: nameParam,
      query: z.object({ format: z.enum(['json', 'text']).default('json') }),
      answers: { '200': 'The log: {taskRun, chunks}, or text/plain with ?format=text' },
      errors: NO_TASKRUN,
    }),
  },
  '/api/v1/taskruns/{name}/logs/stream': {
    get: contract({
      summary: "A TaskRun's log as server-sent events (event: chunk … event: end); resumes from Last-Event-ID",
      path: nameParam,
      answers: { '200': 'text/event-stream' },
      errors: NO_TASKRUN,
    }),
  },
  '/api/v1/triggers': {
    get: contract({
      summary: 'Triggers: provider, pipeline, filter, webhook path and last delivery',
      answers: { '200': ['{items: TriggerSummary[]}', zItems(ZTriggerSummary)] },
    }),
  },
  '/api/v1/triggers/{name}/deliveries': {
    get: contract({
      summary:
        "A Trigger's recorded webhook deliveries with their outcome (started, filtered, rejected, error), newest first",
      path: nameParam,
      query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      queryHint: 'limit 1–200.',
      answers: { '200': ['{items: TriggerDelivery[]}', zItems(ZTriggerDelivery)] },
      errors: { '404': 'No such Trigger' },
    }),
  },
  '/api/webhooks/triggers/{name}': {
    post: contract({
      summary: 'A GitHub (X-Hub-Signature-256) or GitLab (X-Gitlab-Token) webhook for a Trigger',
      public: true,
      path: z.object({ name: z.string().min(1).max(253) }),
      body: z.unknown(),
      bodyFormat: 'read-by-route',
      answers: {
        '200': [
          'Duplicate, ignored: this delivery id (or, for GitHub, this signed body) already started a run within the retention window: {outcome: duplicate, reason}',
          ZDeliveryAnswer,
        ],
        '201': ['A PipelineRun was started: {outcome, run}', ZDeliveryAnswer],
        '202': ['Filtered out by event or branch: {outcome, reason}', ZDeliveryAnswer],
        // The delivery's own outcome ({outcome: rejected | error, reason}), not an Error body.
        '400': [
          'The payload is not JSON, or nests deeper than 64 levels; nothing started: {outcome, reason}',
          ZDeliveryAnswer,
        ],
        '401': ['Bad or missing signature; nothing started: {outcome, reason}', ZDeliveryAnswer],
        '404': ['No such trigger; nothing stored: {outcome, reason}', ZDeliveryAnswer],
        '422': ['The run could not be started (the reason says why): {outcome, reason}', ZDeliveryAnswer],
      },
      errors: { '413': 'Body over 5 MB; nothing processed' },
    }),
  },
};
