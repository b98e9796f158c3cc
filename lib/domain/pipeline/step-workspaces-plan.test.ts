import { describe, expect, it } from 'vitest';
import { resolveTaskRun } from './resolve-task-run';
import { ZTaskSpec } from './task-schemas';

const context = { taskRunName: 'tr', namespace: 'default', taskRunUid: 'u', taskName: 'build', retryCount: 0 };

describe('a step’s workspaces in the plan (Tekton’s isolated workspaces)', () => {
  const spec = ZTaskSpec.parse({
    workspaces: [{ name: 'source' }, { name: 'creds', mountPath: '/etc/creds' }],
    steps: [
      { name: 'write', image: 'a', script: 'x', workspaces: [{ name: 'source', mountPath: '/src' }] },
      { name: 'login', image: 'a', script: 'y', workspaces: [{ name: 'creds' }] },
      { name: 'other', image: 'a', script: 'echo $(workspaces.source.path)' },
    ],
  });
  const resolved = resolveTaskRun({
    spec,
    params: {},
    context,
    workspaces: { source: { hostPath: '/h/source' }, creds: { hostPath: '/h/creds' } },
  });

  it('marks each workspace a step lists as isolated', () => {
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
    expect(resolved.plan.workspaces.map((w) => [w.name, w.isolated])).toEqual([
      ['source', true],
      ['creds', true],
    ]);
  });

  it('gives each listing step its mountPath, or the workspace’s own; $(workspaces.x.path) stays the Task’s', () => {
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
    const [write, login, other] = resolved.plan.steps;
    expect(write.workspaces).toEqual([{ name: 'source', mountPath: '/src' }]);
    expect(login.workspaces).toEqual([{ name: 'creds', mountPath: '/etc/creds' }]);
    expect(other.workspaces).toBeUndefined();
    expect(other.script).toBe('echo /workspace/source');
  });

  it('a workspace no step lists stays every step’s', () => {
    const shared = resolveTaskRun({
      spec: ZTaskSpec.parse({ workspaces: [{ name: 'w' }], steps: [{ name: 's', image: 'a', script: 'x' }] }),
      params: {},
      context,
      workspaces: { w: { hostPath: '/h/w' } },
    });
    expect(shared.ok && shared.plan.workspaces[0].isolated).toBeFalsy();
  });
});
