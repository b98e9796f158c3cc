import { describe, expect, it } from 'vitest';
import { emptyDecision, type Decision } from './decision';
import { pipelineRunStatus } from './pipeline-run-status';
import { SkippingReason } from './reasons';

const at = new Date('2026-01-01T00:05:00Z');
const earlier = '2026-01-01T00:00:00.000Z';
const previous = {
  startTime: earlier,
  conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running', message: 'm', lastTransitionTime: earlier }],
};
const decision = (over: Partial<Decision> = {}): Decision => ({ ...emptyDecision(), ...over });

describe('pipelineRunStatus', () => {
  it.each<[string, Decision, string]>([
    ['the same condition keeps its time', decision(), earlier],
    [
      'a new reason moves the time',
      decision({ condition: { status: 'Unknown', reason: 'PipelineRunStopping', message: '' } }),
      at.toISOString(),
    ],
    [
      'a new status moves the time',
      decision({ condition: { status: 'False', reason: 'Running', message: '' } }),
      at.toISOString(),
    ],
  ])('%s', (_label, d, time) => {
    expect(pipelineRunStatus(previous, d, [], at).conditions[0].lastTransitionTime).toBe(time);
  });

  it('lists children by name, keeps fields it does not own, and adds results once finished', () => {
    const skipped = [{ name: 'c', reason: SkippingReason.WhenExpressions }];
    const finish = {
      status: 'True' as const,
      reason: 'Succeeded' as const,
      message: 'done',
      results: [{ name: 'r', value: 'v' }],
    };
    const status = pipelineRunStatus(
      previous,
      decision({ condition: finish, finish, skippedTasks: skipped }),
      [
        { name: 'pr-b', pipelineTask: 'b' },
        { name: 'pr-a', pipelineTask: 'a' },
      ],
      at,
    );
    expect(status).toEqual({
      startTime: earlier,
      conditions: [
        {
          type: 'Succeeded',
          status: 'True',
          reason: 'Succeeded',
          message: 'done',
          lastTransitionTime: at.toISOString(),
        },
      ],
      childReferences: ['a', 'b'].map((t) => ({
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        name: `pr-${t}`,
        pipelineTaskName: t,
      })),
      skippedTasks: skipped,
      completionTime: at.toISOString(),
      results: [{ name: 'r', value: 'v' }],
    });
  });

  it('starts a condition time when there was none', () => {
    expect(pipelineRunStatus({}, decision(), [], at).conditions[0].lastTransitionTime).toBe(at.toISOString());
  });
});
