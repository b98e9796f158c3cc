import { describe, expect, it } from 'vitest';
import { podMetadata, propagatedMetadata } from './pod-labels';
import { ZPipelineRunSpec, ZTaskRunSpec } from './run-schemas';

describe('propagatedMetadata', () => {
  it("puts the definition's labels and annotations under the run's, without kubectl's last-applied copy", () => {
    expect(
      propagatedMetadata(
        { labels: { env: 'prod' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
        { labels: { env: 'dev', team: 'a' }, annotations: { owner: 'b' } },
      ),
    ).toEqual({ labels: { env: 'prod', team: 'a' }, annotations: { owner: 'b' } });
    expect(propagatedMetadata({}, undefined)).toBeUndefined();
  });
});

describe('podMetadata', () => {
  it("never lets a TaskRun's labels replace tekton.dev/taskRun, its uid or managed-by", () => {
    const { labels } = podMetadata({
      taskRunName: 'tr',
      taskRunUid: 'u',
      taskRun: {
        labels: { 'tekton.dev/taskRun': 'other', 'tekton.dev/taskRunUID': 'x', 'app.kubernetes.io/managed-by': 'me' },
      },
    });
    expect(labels).toEqual({
      'tekton.dev/taskRun': 'tr',
      'tekton.dev/taskRunUID': 'u',
      'app.kubernetes.io/managed-by': 'keelson',
    });
  });
});

describe('computeResources at two levels (upstream validateTaskRunComputeResources)', () => {
  const taskRun = {
    taskRef: { name: 't' },
    computeResources: { limits: { cpu: '1' } },
    stepSpecs: [{ name: 'build', computeResources: { requests: { cpu: '1' } } }],
  };
  it('refuses task-level computeResources together with a stepSpecs entry that sets resources', () => {
    const r = ZTaskRunSpec.safeParse(taskRun);
    expect(r.error?.issues.map((i) => [i.path, i.message])).toEqual([
      [
        ['stepSpecs', 0, 'computeResources'],
        expect.stringContaining('expected exactly one, got both: stepSpecs.resources, computeResources'),
      ],
    ]);
    const run = ZPipelineRunSpec.safeParse({
      pipelineRef: { name: 'p' },
      taskRunSpecs: [
        { pipelineTaskName: 'a', computeResources: taskRun.computeResources, stepSpecs: taskRun.stepSpecs },
      ],
    });
    expect(run.error?.issues[0].path).toEqual(['taskRunSpecs', 0, 'stepSpecs', 0, 'computeResources']);
  });

  it('accepts either alone, and stepSpecs with empty resources beside task-level ones', () => {
    expect(ZTaskRunSpec.safeParse({ ...taskRun, stepSpecs: undefined }).success).toBe(true);
    expect(ZTaskRunSpec.safeParse({ ...taskRun, computeResources: undefined }).success).toBe(true);
    expect(ZTaskRunSpec.safeParse({ ...taskRun, stepSpecs: [{ name: 'b', computeResources: {} }] }).success).toBe(true);
  });
});
