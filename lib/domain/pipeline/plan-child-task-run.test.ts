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
});
