import { describe, expect, it } from 'vitest';
import { matrixOverCapSkip, PipelineRunReason, SkippingReason, TaskRunReason, ZSkippedTask } from './reasons';

describe('reason texts (stored and shown: they must not change)', () => {
  it.each<[string, Record<string, string>, string]>([
    [
      'skips',
      SkippingReason,
      'When Expressions evaluated to false | Parent Tasks were skipped | PipelineRun was stopping | PipelineRun was gracefully cancelled | PipelineRun was gracefully stopped | Results were missing | PipelineRun timeout has been reached | PipelineRun Tasks timeout has been reached | PipelineRun Finally timeout has been reached | Matrix Parameters have an empty array | None',
    ],
    [
      'PipelineRun conditions',
      PipelineRunReason,
      'Started | Running | PipelineRunPending | Queued | PipelineRunStopping | CancelledRunningFinally | StoppedRunningFinally | Succeeded | Completed | Failed | Cancelled | PipelineRunTimeout | TaskRunTimeout | ReconcileFailed',
    ],
    [
      'TaskRun conditions',
      TaskRunReason,
      'Pending | Started | Running | Succeeded | Failed | ToBeRetried | TaskRunCancelled | TaskRunTimeout | TaskRunLeaseExpired | StepImageEntrypointUnsupported | SidecarsUnsupported | VolumeSourceUnsupported | TaskRunDiskFull',
    ],
  ])('%s', (_label, reasons, texts) => {
    expect(Object.values(reasons).join(' | ')).toBe(texts);
  });

  it('a matrix over the cap says how many combinations', () => {
    expect(matrixOverCapSkip(300)).toBe('Matrix creates 300 combinations, over the cap');
  });
});

describe('ZSkippedTask', () => {
  it.each([SkippingReason.WhenExpressions, SkippingReason.EmptyArrayInMatrixParams, matrixOverCapSkip(257)])(
    'reads a stored skip: %s',
    (reason) => {
      expect(ZSkippedTask.parse({ name: 't', reason })).toEqual({ name: 't', reason });
    },
  );

  it.each(['when expressions evaluated to false', 'Matrix creates many combinations, over the cap', ''])(
    'refuses an unknown reason: %j',
    (reason) => {
      expect(ZSkippedTask.safeParse({ name: 't', reason }).success).toBe(false);
    },
  );
});
