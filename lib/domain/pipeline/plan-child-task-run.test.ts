import { describe, expect, it } from 'vitest';
import { planChildTaskRun, type ChildContext } from './plan-child-task-run';
import type { TaskRunStart } from './plan-task-start';
import { ZTaskSpec } from './task-schemas';

const build = ZTaskSpec.parse({
  results: [{ name: 'sha' }, { name: 'files', type: 'array' }, { name: 'meta', properties: { a: {} } }],
  workspaces: [{ name: 'src' }],
  steps: [{ name: 'make', image: 'alpine', script: 'cd $(workspaces.src.path) && echo $(context.pipelineRun.name)' }],
});

const start = (over: Partial<TaskRunStart> = {}): TaskRunStart => ({
  task: 'build',
  finally: false,
  attempt: 2,
  taskRunName: 'pr-build',
  params: {},
  workspaces: [{ name: 'src', workspace: 'shared', subPath: 'app/one' }],
  ...over,
});

const ctx: ChildContext = {
  pipelineRunName: 'pr',
  pipelineRunId: 'run-uid',
  pipelineName: 'ci',
  taskSpecs: { build },
  boundWorkspaces: { shared: { hostPath: '/data/runs/pr/shared', root: '/data/runs/pr/shared' } },
  companions: { configMaps: {}, secrets: { creds: { token: 'hidden' } } },
  stepActions: () => undefined,
};

describe('planChildTaskRun', () => {
  it('resolves the plan with the workspace subPath, result types and step images', () => {
    const planned = planChildTaskRun(start(), ctx, 'tr-uid');
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.workspaces).toEqual([
      expect.objectContaining({ name: 'src', hostPath: '/data/runs/pr/shared/app/one' }),
    ]);
    expect(planned.plan.resultTypes).toEqual({ sha: 'string', files: 'array', meta: 'object' });
    expect(planned.plan.images).toEqual({ make: 'alpine' });
    expect(planned.plan.taskRunName).toBe('pr-build');
  });

  it.each<[string, Partial<TaskRunStart>, ChildContext, string, string]>([
    ['no Task spec', { task: 'other' }, ctx, 'CouldntGetTask', 'spec.tasks'],
    [
      'a subPath that leaves the workspace after substitution',
      { workspaces: [{ name: 'src', workspace: 'shared', subPath: '../../etc' }] },
      ctx,
      'InvalidWorkspaceBindings',
      'spec.tasks.workspaces.subPath',
    ],
    [
      'a workspace the run did not bind',
      { workspaces: [] },
      { ...ctx, boundWorkspaces: {} },
      'TaskRunValidationFailed',
      'spec.workspaces',
    ],
  ])('refuses %s', (_label, over, context, reason, path) => {
    const planned = planChildTaskRun(start(over), context, 'tr-uid');
    expect(planned.ok).toBe(false);
    if (!planned.ok) expect(planned.errors[0]).toMatchObject({ reason, path: expect.stringContaining(path) });
  });

  it("labels the pod as Tekton does, the run's and the task's labels below Tekton's own", () => {
    const planned = planChildTaskRun(
      start({ finally: true, metadata: { labels: { team: 'embedded', tier: 'x' }, annotations: { a: 'embedded' } } }),
      {
        ...ctx,
        ownerMetadata: {
          labels: { team: 'run', 'tekton.dev/pipelineRun': 'spoofed', 'app.kubernetes.io/managed-by': 'someone' },
          annotations: { a: 'run', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
        },
        taskRunMetadata: { build: { labels: { team: 'spec' } } },
      },
      'tr-uid',
    );
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.labels).toEqual({
      team: 'spec',
      tier: 'x',
      // upstream: taskRunSpecs metadata > the PipelineRun's labels (with Tekton's) > the embedded taskSpec's
      'tekton.dev/pipelineRun': 'pr',
      'tekton.dev/pipelineRunUID': 'run-uid',
      'tekton.dev/pipeline': 'ci',
      'tekton.dev/pipelineTask': 'build',
      'tekton.dev/memberOf': 'finally',
      'tekton.dev/taskRun': 'pr-build',
      'tekton.dev/taskRunUID': 'tr-uid',
      'app.kubernetes.io/managed-by': 'keelson',
    });
    expect(planned.plan.annotations).toEqual({ a: 'run' });
  });

  it("labels a referenced Task's TaskRun tekton.dev/task and adds the Task's labels where the run has none", () => {
    const planned = planChildTaskRun(
      start({ taskRef: 'build-task' }),
      {
        ...ctx,
        taskSpecs: { build },
        ownerMetadata: { labels: { team: 'run' } },
        taskMetadata: { 'build-task': { labels: { team: 'task', lang: 'go' }, annotations: { docs: 'x' } } },
      },
      'tr-uid',
    );
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.labels).toMatchObject({ team: 'run', lang: 'go', 'tekton.dev/task': 'build-task' });
    expect(planned.plan.annotations).toEqual({ docs: 'x' });
  });

  it('labels a standalone TaskRun (no PipelineRun) with its own labels and no pipeline labels', () => {
    const planned = planChildTaskRun(
      start({ workspaces: [], taskRef: 'build-task' }),
      {
        ...ctx,
        pipelineRunName: '',
        pipelineRunId: '',
        boundWorkspaces: {},
        taskSpecs: { build: ZTaskSpec.parse({ steps: [{ name: 's', image: 'a', script: 'true' }] }) },
        ownerMetadata: { labels: { app: 'web' } },
      },
      'tr-uid',
    );
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.labels).toEqual({
      app: 'web',
      'tekton.dev/task': 'build-task',
      'tekton.dev/taskRun': 'pr-build',
      'tekton.dev/taskRunUID': 'tr-uid',
      'app.kubernetes.io/managed-by': 'keelson',
    });
  });

  it("records the task's pod settings, and the workspace's source with the binding's and the task's subPath", () => {
    const source = { kind: 'persistentVolumeClaim' as const, claimName: 'shared' };
    const planned = planChildTaskRun(
      start(),
      {
        ...ctx,
        boundWorkspaces: { shared: { hostPath: '/v/shared/base', root: '/v/shared', source, subPath: 'base' } },
        podSettings: (task) => ({ serviceAccountName: `${task}-sa`, podTemplate: { nodeSelector: { disk: 'ssd' } } }),
      },
      'tr-uid',
    );
    if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
    expect(planned.plan.workspaces[0]).toMatchObject({
      hostPath: '/v/shared/base/app/one',
      source,
      subPath: 'base/app/one',
    });
    expect(planned.plan.pod).toEqual({
      serviceAccountName: 'build-sa',
      podTemplate: { nodeSelector: { disk: 'ssd' } },
    });
  });
});
