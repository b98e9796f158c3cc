import { describe, expect, it } from 'vitest';
import type { TaskRunExecutor } from '@/lib/domain/pipeline/task-run-plan';
import { claimRoute, executorFor, type KubernetesChoice } from './task-run-executors';

const local: TaskRunExecutor = { kind: 'local', run: async () => Promise.reject(new Error('not run here')) };
const pods: TaskRunExecutor = { kind: 'kubernetes', run: async () => Promise.reject(new Error('not run here')) };
const cluster: KubernetesChoice = {
  available: true,
  executor: pods,
  cluster: 'ci',
  namespaceTemplate: 'ci-{project}',
  maxConcurrentTaskRuns: 7,
};
const row = (executor: 'local' | 'kubernetes' | null, project = 'team-a') => ({ executor, project, attempt: 2 });

describe('where a claimed TaskRun runs', () => {
  it('claims for the setting: local without a cluster, Kubernetes (bounded) with one, unbounded when unusable', () => {
    expect(claimRoute(undefined)).toEqual({ defaultExecutor: 'local' });
    expect(claimRoute(cluster, 3)).toEqual({ defaultExecutor: 'kubernetes', maxLocal: 3, kubernetes: { max: 7 } });
    expect(claimRoute({ available: false, cluster: 'x', reason: 'gone' })).toEqual({ defaultExecutor: 'kubernetes' });
  });

  it('hands a Kubernetes TaskRun its namespace from the template, its run and attempt', () => {
    expect(executorFor(row('kubernetes'), local, cluster, 'build-1')).toEqual({
      kind: 'kubernetes',
      executor: pods,
      target: { project: 'team-a', namespace: 'ci-team-a', pipelineRunName: 'build-1', attempt: 2 },
    });
    expect(executorFor(row('local'), local, cluster, 'build-1')).toEqual({ kind: 'local', executor: local });
  });

  it('says why one cannot run: no cluster, an unusable one, a project name too long for the template', () => {
    const failed = (r: ReturnType<typeof executorFor>) => ('failed' in r ? r.failed : '');
    expect(failed(executorFor(row('kubernetes'), local, undefined, undefined))).toMatch(
      /no cluster is set for pipelines.*Settings → Pipelines.*KEELSON_PIPELINE_CLUSTER.*keelson.dev\/executor: local/,
    );
    expect(failed(executorFor(row('kubernetes'), local, { available: false, cluster: 'x', reason: 'gone' }, 'r'))).toBe(
      'The cluster set for pipelines cannot be used: gone',
    );
    expect(failed(executorFor(row('kubernetes', 'p'.repeat(61)), local, cluster, 'r'))).toMatch(
      /gives no DNS-1123 label for project/,
    );
  });
});
