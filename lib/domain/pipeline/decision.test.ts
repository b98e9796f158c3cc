import { describe, expect, it } from 'vitest';
import { CancelMessage, cancelRunning, emptyDecision, retryTask, skipTask, startTask } from './decision';
import type { TPipelineTask } from './pipeline-schemas';
import { matrixOverCapSkip, SkippingReason } from './reasons';
import { runFacts } from './run-facts';
import { base, failed, ok, running, spec } from './scheduler-fixtures';

const matrixed = (values: string) =>
  spec(`
tasks:
  - name: m
    taskRef: {name: t}
    retries: 1
    matrix: {params: [{name: x, value: ${values}}]}
`);
const slot = { scope: {}, isFinally: false, timeoutMs: 5000 };

describe('decision', () => {
  it('a skip is recorded in the decision and in the facts', () => {
    const facts = runFacts(base({}));
    const decision = emptyDecision();
    skipTask(facts, decision, facts.byName.get('notify') as TPipelineTask, SkippingReason.WhenExpressions);
    expect(decision.skip).toEqual([{ name: 'notify', reason: SkippingReason.WhenExpressions }]);
    expect(facts.phase(facts.byName.get('notify') as TPipelineTask)).toBe('skipped');
  });

  it('cancels only running TaskRuns', () => {
    const facts = runFacts(base({ taskRuns: [running('fetch', { matrixIndex: 2 }), ok('lint'), failed('test')] }));
    expect(cancelRunning(facts, facts.allTasks, CancelMessage.timeout)).toEqual([
      { task: 'fetch', matrixIndex: 2, message: 'TaskRun cancelled as the PipelineRun it belongs to has timed out.' },
    ]);
  });

  it.each([
    ['[a, b]', []],
    ['[]', [{ name: 'm', reason: SkippingReason.EmptyArrayInMatrixParams }]],
    [`[${Array.from({ length: 257 }, (_, i) => i).join(', ')}]`, [{ name: 'm', reason: matrixOverCapSkip(257) }]],
  ])('starts a matrix %s, or skips it', (values, skip) => {
    const facts = runFacts(base({ spec: matrixed(values) }));
    const decision = emptyDecision();
    startTask(facts, decision, facts.dagTasks[0], slot);
    expect(decision.skip).toEqual(skip);
    expect(decision.start.length).toBe(skip.length === 0 ? 2 : 0);
  });

  it('retries only the failed combination, with the next attempt', () => {
    const facts = runFacts(
      base({ spec: matrixed('[a, b]'), taskRuns: [ok('m', {}, { matrixIndex: 0 }), failed('m', { matrixIndex: 1 })] }),
    );
    const decision = emptyDecision();
    retryTask(facts, decision, facts.dagTasks[0], slot);
    expect(decision.retry.map((s) => [s.matrixIndex, s.attempt, s.timeoutMs])).toEqual([[1, 1, 5000]]);
  });
});
