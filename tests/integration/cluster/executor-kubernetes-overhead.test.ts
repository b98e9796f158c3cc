/**
 * Per-TaskRun overhead of the Kubernetes executor on the real node: from `run()` to the first step's own process
 * starting (the entrypoint's StartedAt), and to the outcome, over sequential one-step TaskRuns. Prints p50/p99.
 */
import { describe, expect } from 'vitest';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const RUNS = Number(process.env.KEELSON_EXECUTOR_OVERHEAD_RUNS ?? 8);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

describe.skipIf(!realNode)('Kubernetes executor: overhead', () => {
  test(
    `run() to first step started and to outcome, ${RUNS} sequential TaskRuns`,
    { timeout: 300_000 },
    async ({ namespace }) => {
      const { executor } = testExecutor(realNode!);
      const toStart: number[] = [];
      const toPod: number[] = [];
      const toEnd: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const plan = realNodePlan({ steps: [step('noop', { image: 'busybox', command: ['true'] })] });
        const began = Date.now();
        const r = record();
        r.hooks.onPodCreated = () => void toPod.push(Date.now() - began);
        const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
        expect(outcome.status).toBe('Succeeded');
        toStart.push(outcome.steps[0].startedAt!.getTime() - began);
        toEnd.push(Date.now() - began);
      }
      const line = (name: string, xs: number[]) => `${name} p50 ${pct(xs, 50)} ms, p99 ${pct(xs, 99)} ms`;
      console.log(
        `[executor overhead] ${line('run→pod created', toPod)}; ${line('run→first step started', toStart)}; ${line('run→outcome', toEnd)}`,
      );
      expect(pct(toStart, 50)).toBeLessThan(10_000);
    },
  );
});
