/** OpenAPI paths of apply, pipelines, PipelineRuns and TaskRuns; merged into openapi.ts. */
import type { SchemaName } from './openapi';
import { pathParam, queryParam, type Operation, type OperationSpec } from './openapi-operation';

type Op = (summary: string, spec: OperationSpec<SchemaName>) => Operation;

const name = [pathParam('name')];

export function pipelinePaths(op: Op) {
  return {
    '/api/v1/apply': {
      post: op(
        'Apply Tekton documents (multi-document YAML, or JSON) — Task, Pipeline, StepAction, PipelineRun, TaskRun, ConfigMap, Secret, PersistentVolumeClaim',
        {
          rawBody: {
            required: true,
            content: { 'application/yaml': { schema: { type: 'string' } }, 'application/json': { schema: {} } },
          },
          answers: {
            '201':
              'One line per document: {applied: [{kind, name, action}], runs: [name], warnings: [{path, message}]} (warnings: scripts that interpolate $(params.*) or $(body.*); pass values through env instead)',
          },
          errors: {
            '400': 'Invalid documents (including YAML alias bombs and nesting deeper than 64 levels); nothing stored',
            '413': 'Body over 10 MB',
          },
        },
      ),
    },
    '/api/v1/pipelines': {
      get: op('Pipelines: newest version, task count and last run', {
        answers: { '200': '{items: PipelineSummary[]}' },
      }),
    },
    '/api/v1/pipelines/{name}': {
      get: op('A Pipeline as applied (newest version) with its version list', {
        params: name,
        answers: { '200': '{name, version, versions, document}' },
        errors: { '404': 'No such Pipeline' },
      }),
      delete: op('Delete every version of a Pipeline (its runs stay)', {
        params: name,
        answers: { '204': 'Deleted' },
        errors: { '404': 'No such Pipeline' },
      }),
    },
    '/api/v1/pipelines/{name}/start': {
      post: op("Start a PipelineRun of the pipeline's newest version", {
        params: name,
        body: 'StartPipeline',
        answers: { '201': '{id, name}' },
        errors: { '400': 'Missing or wrong params, unbound workspaces', '404': 'No such Pipeline' },
      }),
    },
    '/api/v1/pipelineruns': {
      get: op(
        'PipelineRuns across pipelines, newest first, paged on the server (status: Running, Queued, Succeeded, Failed, Cancelled…)',
        {
          params: ['pipeline', 'status', 'page', 'limit'].map(queryParam),
          answers: { '200': '{total, page, limit, items}' },
        },
      ),
    },
    '/api/v1/pipelineruns/{name}': {
      get: op('A PipelineRun (tekton.dev/v1 shape) with its TaskRuns and its child PipelineRuns (childPipelineRuns)', {
        params: name,
        answers: { '200': 'PipelineRun' },
        errors: { '404': 'No such run' },
      }),
      delete: op('Delete a finished PipelineRun, or one still queued in its concurrency group', {
        params: name,
        answers: { '204': 'Deleted' },
        errors: { '409': 'Still running (or a child run whose parent is still running)' },
      }),
    },
    '/api/v1/pipelineruns/{name}/cancel': {
      post: op('Cancel: Cancelled, CancelledRunFinally or StoppedRunFinally', {
        params: name,
        body: 'CancelRun',
        answers: { '200': 'Requested' },
        errors: { '409': 'Already finished' },
      }),
    },
    '/api/v1/pipelineruns/{name}/rerun': {
      post: op(
        'Start a new run with the same params and workspaces; with {"fromFailed": true}, a run of the same frozen specs that reuses the results of the tasks that succeeded and runs only the others (and finally)',
        {
          params: name,
          optionalBody: 'RerunRun',
          answers: { '201': '{id, name}' },
          errors: { '409': 'fromFailed: the run has not finished, or nothing in it failed' },
        },
      ),
    },
    '/api/v1/taskruns': {
      get: op('TaskRuns, newest first (optionally of one PipelineRun)', {
        params: ['pipelineRun', 'limit'].map(queryParam),
        answers: { '200': '{items}' },
      }),
    },
    '/api/v1/taskruns/{name}': {
      get: op('A TaskRun (tekton.dev/v1 shape)', {
        params: name,
        answers: { '200': 'TaskRun' },
        errors: { '404': 'No such TaskRun' },
      }),
    },
  };
}
