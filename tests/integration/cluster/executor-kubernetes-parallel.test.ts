/**
 * TaskRuns side by side under one Kubernetes executor: each in its own pod, each with its own logs and results,
 * none waiting for another. Prints the wall time against one TaskRun's.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const N = 6;

describe.skipIf(!realNode)('Kubernetes executor: TaskRuns in parallel', () => {
  test(`${N} TaskRuns at once, each with its own logs and results`, { timeout: 180_000 }, async ({ namespace }) => {
    const { executor, hookErrors } = testExecutor(realNode!);
    const one = async (i: number) => {
      const plan = realNodePlan({
        resultNames: ['n'],
        steps: [
          step('work', { image: 'busybox', script: `echo "task ${i}"; sleep 2; printf ${i} > /tekton/results/n` }),
        ],
      });
      const r = record();
      const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
      return { i, outcome, lines: r.text('work') };
    };
    const began = Date.now();
    await one(0);
    const single = Date.now() - began;
    const start = Date.now();
    const all = await Promise.all(Array.from({ length: N }, (_, i) => one(i + 1)));
    const wall = Date.now() - start;
    for (const { i, outcome, lines } of all) {
      expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
      expect(outcome.results).toEqual({ n: String(i) });
      expect(lines).toEqual([`task ${i}`]);
    }
    expect(hookErrors).toEqual([]);
    console.log(`[executor parallel] one TaskRun ${single} ms; ${N} at once ${wall} ms`);
    // Side by side, not one after another.
    expect(wall).toBeLessThan(single * N * 0.75);
  });
});
