import { describe, expect, it } from 'vitest';
import {
  childCancelMode,
  childFolders,
  childPipelineRunReferences,
  childRunSpec,
  childRunState,
  runsChildPipelines,
  splitChildPipelineStarts,
  type ChildRunRow,
} from './child-pipeline-run';
import { ZPipelineSpec, ZPipelineTask, type TPipelineSpec } from './pipeline-schemas';
import type { TaskRunStart } from './plan-task-start';
import { resultScope } from './run-state';

const row = (over: Partial<ChildRunRow>): ChildRunRow => ({
  id: 'id',
  name: 'p-child',
  parentTask: 'child',
  conditionStatus: 'Unknown',
  conditionReason: 'Running',
  results: [],
  startedAt: null,
  ...over,
});

const start = (over: Partial<TaskRunStart> = {}): TaskRunStart => ({
  task: 'child',
  finally: false,
  attempt: 0,
  taskRunName: 'p-child',
  params: {},
  workspaces: [],
  ...over,
});

describe('childRunState: the child PipelineRun as its task sees it', () => {
  it.each([
    ['Unknown', 'Running', 'Running'],
    ['Unknown', 'Queued', 'Running'],
    ['True', 'Succeeded', 'Succeeded'],
    ['True', 'Completed', 'Succeeded'],
    ['False', 'Failed', 'Failed'],
    ['False', 'PipelineRunTimeout', 'Failed'],
    ['False', 'Cancelled', 'Cancelled'],
    ['False', 'StoppedRunFinally', 'Cancelled'],
  ] as const)('%s/%s → %s', (conditionStatus, conditionReason, status) => {
    const state = childRunState(row({ conditionStatus, conditionReason }));
    expect(state.status).toBe(status);
    expect(state.task).toBe('child');
    expect(state.reason).toBe(conditionReason);
  });

  it('its pipeline results are the task results, typed as the child gave them', () => {
    const state = childRunState(
      row({
        conditionStatus: 'True',
        conditionReason: 'Succeeded',
        results: [
          { name: 's', value: 'text' },
          { name: 'a', value: ['x', 'y'] },
          { name: 'o', value: { k: 'v' } },
        ],
      }),
    );
    const task = ZPipelineTask.parse({ name: 'child', pipelineRef: { name: 'inner' } });
    expect(resultScope(task, undefined, [state])).toEqual({
      'tasks.child.results.s': 'text',
      'tasks.child.results.a': ['x', 'y'],
      'tasks.child.results.o': { k: 'v' },
    });
  });
});

describe('childRunSpec: the child PipelineRun spec', () => {
  const parentSpec = ZPipelineSpec.parse({
    workspaces: [{ name: 'shared' }, { name: 'cache' }],
    tasks: [{ name: 't', taskSpec: { steps: [{ image: 'a', script: 'true' }] } }],
  });
  const bindings = [
    { name: 'shared', emptyDir: {} },
    { name: 'cache', persistentVolumeClaim: { claimName: 'c' }, subPath: 'base' },
  ];

  it('passes params, binds workspaces to the parent sources and limits the timeout to what is left', () => {
    const task = ZPipelineTask.parse({ name: 'child', pipelineRef: { name: 'inner' } });
    const spec = childRunSpec({
      start: start({
        params: { who: 'me', list: ['a'] },
        workspaces: [{ name: 'src', workspace: 'cache', subPath: 'sub' }],
        timeoutMs: 1500.2,
      }),
      task,
      parentSpec,
      parentBindings: bindings,
    });
    expect(spec).toEqual({
      pipelineRef: { name: 'inner' },
      params: [
        { name: 'who', value: 'me' },
        { name: 'list', value: ['a'] },
      ],
      workspaces: [{ name: 'src', persistentVolumeClaim: { claimName: 'c' }, subPath: 'base/sub' }],
      timeouts: { pipeline: '1501ms' },
    });
  });

  it('an embedded pipelineSpec gets the parent params and the workspaces it declares; the cancel mode and no budget pass on', () => {
    const task = ZPipelineTask.parse({
      name: 'child',
      pipelineSpec: { workspaces: [{ name: 'shared' }], tasks: [{ name: 'x', taskRef: { name: 't' } }] },
    });
    const spec = childRunSpec({
      start: start({ params: { given: 'g' } }),
      task,
      parentSpec,
      parentBindings: bindings,
      parentParams: { given: 'parent', other: ['o'] },
      cancel: 'Cancelled',
    });
    expect(spec.pipelineSpec?.tasks[0].name).toBe('x');
    expect(spec.params).toEqual([
      { name: 'given', value: 'g' },
      { name: 'other', value: ['o'] },
    ]);
    expect(spec.workspaces).toEqual([{ name: 'shared', emptyDir: {}, subPath: undefined }]);
    expect(spec.timeouts).toEqual({ pipeline: '0' });
    expect(spec.status).toBe('Cancelled');
  });

  it('childFolders: the child workspaces are the parent folders (subPath of the task binding joined)', () => {
    const folders = childFolders(
      start({ workspaces: [{ name: 'src', workspace: 'shared', subPath: 'sub' }] }),
      { workspaces: [{ name: 'src', emptyDir: {} }] },
      { shared: { hostPath: '/runs/p/workspaces/shared', root: '/runs/p/workspaces/shared' } },
      (...p) => p.join('/'),
    );
    expect(folders).toEqual({
      src: { hostPath: '/runs/p/workspaces/shared/sub', root: '/runs/p/workspaces/shared', subPath: 'sub' },
    });
  });

  it("childFolders keeps the parent's volume (a volumeClaimTemplate's claim) and joins the subPaths", () => {
    const source = { kind: 'volumeClaimTemplate' as const, claimName: 'pvc-0123456789', template: {} };
    const folders = childFolders(
      start({ workspaces: [{ name: 'src', workspace: 'shared', subPath: 'sub' }] }),
      { workspaces: [{ name: 'src', emptyDir: {} }] },
      { shared: { hostPath: '/runs/p/shared/base', root: '/runs/p/shared', source, subPath: 'base' } },
      (...p) => p.join('/'),
    );
    expect(folders.src).toMatchObject({ source, subPath: 'base/sub', hostPath: '/runs/p/shared/base/sub' });
  });
});

describe('cancel propagation and references', () => {
  it.each([
    [undefined, false, undefined],
    [undefined, true, 'Cancelled'],
    ['Cancelled', false, 'Cancelled'],
    ['CancelledRunFinally', true, 'CancelledRunFinally'],
    ['StoppedRunFinally', false, 'StoppedRunFinally'],
    ['PipelineRunPending', false, undefined],
  ] as const)('parent %s, task stopped %s → child %s', (parent, stopped, mode) => {
    expect(childCancelMode(parent, stopped)).toBe(mode);
  });

  it('splits the starts of child pipelines from TaskRuns, and lists children with kind PipelineRun', () => {
    const tasks = new Map([
      ['a', ZPipelineTask.parse({ name: 'a', taskRef: { name: 't' } })],
      ['child', ZPipelineTask.parse({ name: 'child', pipelineRef: { name: 'inner' } })],
    ]);
    const split = splitChildPipelineStarts([start({ task: 'a' }), start()], (n) => tasks.get(n));
    expect(split.taskRuns.map((s) => s.task)).toEqual(['a']);
    expect(split.pipelineRuns.map((s) => s.task)).toEqual(['child']);
    expect(childPipelineRunReferences([{ name: 'p-child', parentTask: 'child' }])).toEqual([
      { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'p-child', pipelineTaskName: 'child' },
    ]);
  });
});

describe('runsChildPipelines', () => {
  const task = (name: string, extra: object): TPipelineSpec['tasks'][number] => ZPipelineTask.parse({ name, ...extra });
  it('is true only when a task or finally task has pipelineRef or pipelineSpec', () => {
    const plain = task('a', { taskRef: { name: 't' } });
    expect(runsChildPipelines({ tasks: [plain] })).toBe(false);
    expect(runsChildPipelines({ tasks: [plain, task('b', { pipelineRef: { name: 'p' } })] })).toBe(true);
    expect(runsChildPipelines({ tasks: [plain], finally: [task('f', { pipelineSpec: { tasks: [plain] } })] })).toBe(
      true,
    );
  });
});
