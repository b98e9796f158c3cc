import { describe, expect, it } from 'vitest';
import type { StepPlan, WorkspacePlan } from '../../../domain/pipeline/task-run-plan';
import type { PathMapping } from './path-rewrite';
import { sharedWorkspaces, withStepWorkspaces } from './step-workspaces';

const step = (workspaces?: StepPlan['workspaces']): StepPlan => ({
  name: 's',
  env: {},
  onError: 'stopAndFail',
  ...(workspaces ? { workspaces } : {}),
});
const workspaces: WorkspacePlan[] = [
  { name: 'shared', mountPath: '/workspace/shared', hostPath: '/data/run/shared', readOnly: false },
  {
    name: 'secret',
    mountPath: '/workspace/secret',
    hostPath: '/data/run/secret/sub',
    root: '/data/run/secret',
    readOnly: true,
    isolated: true,
  },
];
const base: PathMapping[] = [
  { container: '/workspace/shared', host: '/data/run/shared', readOnly: false },
  { container: '/workspace', host: '/data/run/ws', readOnly: false },
];

describe('isolated workspaces (a step’s workspaces)', () => {
  it('leaves isolated workspaces out of what every step sees', () => {
    expect(sharedWorkspaces(workspaces).map((w) => w.name)).toEqual(['shared']);
  });

  it('a step that does not list it gets the TaskRun’s mappings only', () => {
    expect(withStepWorkspaces(base, step(), workspaces)).toEqual(base);
  });

  it('a step that lists it sees it at its own mountPath, reached from the volume’s root, most specific first', () => {
    const mapped = withStepWorkspaces(
      base,
      step([{ name: 'secret', mountPath: '/workspace/shared/creds/' }]),
      workspaces,
    );
    expect(mapped[0]).toEqual({
      container: '/workspace/shared/creds',
      host: '/data/run/secret/sub',
      readOnly: true,
      root: '/data/run/secret',
    });
    expect(mapped.slice(1)).toEqual(base);
  });

  it('a shared workspace listed by a step is not mounted twice', () => {
    expect(withStepWorkspaces(base, step([{ name: 'shared', mountPath: '/x' }]), workspaces)).toEqual(base);
  });
});
