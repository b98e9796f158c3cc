/**
 * Per-TaskRun overhead of the Kubernetes executor on the real node: from `run()` to the pod created, to the first
 * step's own process starting (the entrypoint's StartedAt) and to the outcome, over sequential one-step TaskRuns: a
 * command step, and a script step with scripts placed by upstream's init container or through the run Secret.
 * Prints p50/p99 (KEELSON_EXECUTOR_OVERHEAD_RUNS runs each, default 6).
 */
import { describe, expect } from 'vitest';
import type { StepPlan } from '@/lib/domain/pipeline/task-run-plan';
import { clusterTest as test } from './cluster';
import { realNodePlan, record, step, target, testExecutor } from './executor-kubernetes-support';
import { realNodeOrSkip } from './real-node';

const realNode = realNodeOrSkip();
const RUNS = Number(process.env.KEELSON_EXECUTOR_OVERHEAD_RUNS ?? 6);

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

const variants: { name: string; step: Partial<StepPlan>; scriptsVia?: 'place-scripts' | 'secret' }[] = [
  { name: 'command', step: { command: ['true'] } },
  { name: 'script via place-scripts', step: { script: 'true' }, scriptsVia: 'place-scripts' },
  { name: 'script via the run Secret', step: { script: 'true' }, scriptsVia: 'secret' },
];

describe.skipIf(!realNode)('Kubernetes executor: overhead', () => {
  test(
    `run() to pod, first step started and outcome, ${RUNS} sequential TaskRuns per variant`,
    { timeout: 400_000 },
    async ({ namespace }) => {
      const report: string[] = [];
      for (const v of variants) {
        const { executor } = testExecutor(realNode!, { scriptsVia: v.scriptsVia });
        const toPod: number[] = [];
        const toStart: number[] = [];
        const toEnd: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const plan = realNodePlan({ steps: [step('noop', { image: 'busybox', ...v.step })] });
          const began = Date.now();
          const r = record();
          r.hooks.onPodCreated = () => void toPod.push(Date.now() - began);
          const outcome = await executor.run(plan, '/x', r.hooks, target(namespace));
          expect(outcome.status, JSON.stringify(outcome)).toBe('Succeeded');
          toStart.push(outcome.steps[0].startedAt!.getTime() - began);
          toEnd.push(Date.now() - began);
        }
        const line = (name: string, xs: number[]) => `${name} p50 ${pct(xs, 50)} / p99 ${pct(xs, 99)} ms`;
        report.push(`${v.name}: ${line('pod', toPod)}, ${line('first step', toStart)}, ${line('outcome', toEnd)}`);
        expect(pct(toStart, 50)).toBeLessThan(10_000);
      }
      console.log(`[executor overhead]\n  ${report.join('\n  ')}`);
    },
  );
});
