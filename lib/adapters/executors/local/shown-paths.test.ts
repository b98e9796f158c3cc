import { describe, expect, it } from 'vitest';
import type { TaskRunPlan } from '../../../domain/pipeline/task-run-plan';
import { hostPathHider, WORKER_FOLDER } from './shown-paths';

const plan: TaskRunPlan = {
  taskRunName: 'tr',
  steps: [
    {
      name: 's',
      env: {},
      onError: 'stopAndFail',
      volumeMounts: [{ volume: 'cache', mountPath: '/cache', subPath: 'a', readOnly: false }],
    },
  ],
  workspaces: [
    {
      name: 'src',
      mountPath: '/workspace/src',
      hostPath: '/data/volumes/claim/sub',
      root: '/data/volumes/claim',
      readOnly: false,
    },
  ],
  volumes: [{ name: 'cache', kind: 'emptyDir' }],
  resultNames: [],
  secretsToMask: [],
};
const hide = hostPathHider(plan, '/data/runs/tr-1', ['/data']);

describe('hostPathHider', () => {
  it.each([
    ['/data/runs/tr-1/workspace/evil is a symlink', '/workspace/evil is a symlink'],
    ['at /data/runs/tr-1/tmp/x.', 'at /tmp/x.'],
    ['/data/runs/tr-1/results/r is a folder', '/tekton/results/r is a folder'],
    ['"/data/runs/tr-1/steps/step-s/exitCode"', '"/tekton/steps/step-s/exitCode"'],
    ['/data/volumes/claim/sub/x', '/workspace/src/x'],
    ['/data/volumes/claim/sub is a symlink', '<workspace "src">/sub is a symlink'],
    ['/data/runs/tr-1/volumes/cache/a is a symlink', '<volume "cache">/a is a symlink'],
    ['/data/runs/tr-1/workspace-old/x', WORKER_FOLDER],
    ['/data/volumes/claim/other is a symlink', '<workspace "src">/other is a symlink'],
    ['/data/runs/tr-1/volumes/cache/a/b', '/cache/b'],
    ['/data/runs/tr-1/volumes/cache/z', '<volume "cache">/z'],
    [`/data/runs/tr-2/workspace: no`, `${WORKER_FOLDER}: no`],
    [`/data/secret-key, /data`, `${WORKER_FOLDER}, ${WORKER_FOLDER}`],
  ])('shows %s as %s', (text, expected) => {
    expect(hide(text)).toBe(expected);
  });

  it('leaves paths that only look alike, and text already shown, as they are', () => {
    for (const text of ['/database/x', '/srv/data/runs/tr-1', '/data-old/y', '/workspace/evil', '/tmp/x'])
      expect(hide(text)).toBe(text);
  });
});
