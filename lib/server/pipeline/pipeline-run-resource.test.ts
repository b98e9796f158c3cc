import { expect, it } from 'vitest';
import { pendingTaskRunStatus } from '@/lib/domain/pipeline/task-run-status';
import { pipelineRunResource, taskRunResource } from './pipeline-run-resource';
import type { PipelineRunRow, TaskRunRow } from './ports';

const at = new Date('2026-01-02T03:04:05.000Z');
const run: PipelineRunRow = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'build-run-abcde',
  project: 'default',
  pipelineName: 'build',
  pipelineVersion: 3,
  spec: {
    run: { pipelineRef: { name: 'build' } },
    pipelineSpec: { tasks: [{ name: 't', taskSpec: { steps: [{ name: 's', image: 'alpine' }] } }] },
    taskSpecs: {},
  },
  status: {
    conditions: [
      { type: 'Succeeded', status: 'Unknown', reason: 'Running', message: '', lastTransitionTime: at.toISOString() },
    ],
  },
  conditionStatus: 'Unknown',
  conditionReason: 'Running',
  createdBy: 'ci',
  createdAt: at,
  startedAt: at,
  completedAt: null,
  parentRunId: null,
  parentTask: null,
  concurrencyGroup: null,
  concurrencyLimit: null,
  concurrencyStrategy: null,
  concurrencySeq: null,
};
const child: TaskRunRow = {
  id: '00000000-0000-4000-8000-000000000002',
  name: 'build-run-abcde-t',
  project: 'default',
  pipelineRunId: run.id,
  pipelineTask: 't',
  matrixIndex: 1,
  plan: { taskRunName: 'build-run-abcde-t', steps: [] },
  state: 'running',
  attempt: 0,
  status: pendingTaskRunStatus(at),
  leaseOwner: null,
  leaseExpiresAt: null,
  cancelRequested: null,
  createdAt: at,
  startedAt: at,
  completedAt: null,
  executor: null,
  podNamespace: null,
  logsRemovedAt: null,
};

it('shows a stored PipelineRun as a tekton.dev/v1 object, fields in Tekton order', () => {
  const shown = pipelineRunResource(run);
  expect(Object.keys(shown)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  expect(shown.metadata).toEqual({
    name: 'build-run-abcde',
    uid: run.id,
    namespace: 'default',
    creationTimestamp: '2026-01-02T03:04:05.000Z',
    labels: { 'tekton.dev/pipeline': 'build' },
    annotations: { 'keelson.dev/created-by': 'ci', 'keelson.dev/pipeline-version': '3' },
  });
  expect(shown).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', spec: run.spec.run });
});

it('shows a stored TaskRun with the labels of its PipelineRun, task and matrix combination', () => {
  const shown = taskRunResource(child, run.name);
  expect(Object.keys(shown)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  expect(shown).toMatchObject({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun' });
  expect(shown.metadata).toEqual({
    name: 'build-run-abcde-t',
    uid: child.id,
    namespace: 'default',
    creationTimestamp: '2026-01-02T03:04:05.000Z',
    labels: {
      'tekton.dev/pipelineRun': run.name,
      'tekton.dev/pipelineTask': 't',
      'keelson.dev/matrix-index': '1',
    },
  });
  expect(taskRunResource({ ...child, matrixIndex: null }).metadata.labels).toEqual({});
});

it('names the executor that ran a TaskRun (annotation keelson.dev/executor) and its pod (status.podName)', () => {
  const requested = {
    ...child,
    plan: { ...child.plan, metadata: { annotations: { 'keelson.dev/executor': 'kubernetes' } } },
  };
  // Pending: the request shows; once claimed, the executor that took it.
  expect(taskRunResource(requested).metadata.annotations).toEqual({ 'keelson.dev/executor': 'kubernetes' });
  const local = taskRunResource({ ...requested, executor: 'local' });
  expect(local.metadata.annotations).toEqual({ 'keelson.dev/executor': 'local' });
  const pod = taskRunResource({
    ...child,
    executor: 'kubernetes',
    podNamespace: 'default',
    logsRemovedAt: null,
    status: { ...child.status, podName: 'build-run-abcde-t-pod' },
  });
  expect(pod.metadata.annotations).toEqual({ 'keelson.dev/executor': 'kubernetes' });
  expect(pod.status.podName).toBe('build-run-abcde-t-pod');
  expect(taskRunResource(child).metadata).not.toHaveProperty('annotations');
});
