/**
 * Long lines under the Kubernetes executor: containerd stores a line over 16 KiB in pieces and the logs API stamps
 * each piece; the executor hands the line on whole, as the step wrote it.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();

describe.skipIf(!realNode)('Kubernetes executor: long lines', () => {
  test('a 40 000-character line arrives as one line, unchanged', async ({ namespace }) => {
    const { executor } = testExecutor(realNode!);
    const plan = realNodePlan({
      steps: [
        step('long', {
          image: 'python',
          command: ['python3', '-c', "print('a' * 20000 + 'b' * 20000); print('short')"],
        }),
      ],
    });
    const r = record();
    const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
    expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
    const lines = r.text('long');
    expect(lines.map((l) => l.length)).toEqual([40_000, 5]);
    expect(lines[0]).toBe('a'.repeat(20_000) + 'b'.repeat(20_000));
  });
});
