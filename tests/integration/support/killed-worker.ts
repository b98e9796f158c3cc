/**
 * Pieces of the kill -9 worker tests (local executor: worker-killed-local.test.ts; Kubernetes executor:
 * cluster/executor-kubernetes-worker-killed.test.ts): a PipelineRun whose one task sleeps on its first attempt only,
 * and a worker process (kubernetes-worker-process.ts) to kill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { applyDocuments } from '@/lib/server/pipeline/apply-documents';
import { createPipelineRun } from '@/lib/server/pipeline/create-pipeline-run';
import { createTaskRun } from '@/lib/server/pipeline/create-task-run';
import type { AuthorizedPipelineDeps } from '@/lib/server/pipeline/pipeline-access';
import type { EngineDeps } from '@/lib/server/pipeline/reconcile-pipeline-run';
import type { Principal } from '@/lib/server/principal';

/**
 * Applies a PipelineRun `name` of one task `sleepy` with `retries`, whose step `work` prints `attempt <n>`, runs
 * `sleepCommand` on attempt 0 only, then prints `done`. `spec` adds to the PipelineRun's spec (e.g. taskRunTemplate).
 */
export async function applySleepyRun(
  deps: AuthorizedPipelineDeps,
  ed: EngineDeps,
  me: Principal,
  o: { name: string; retries: number; sleepCommand: string; spec?: Record<string, unknown> },
): Promise<{ id: string; name: string }> {
  const doc = {
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: o.name },
    spec: {
      ...o.spec,
      pipelineSpec: {
        tasks: [
          {
            name: 'sleepy',
            retries: o.retries,
            taskSpec: {
              steps: [
                {
                  name: 'work',
                  image: 'busybox',
                  script:
                    'echo "attempt $(context.task.retry-count)"\n' +
                    `if [ "$(context.task.retry-count)" = 0 ]; then ${o.sleepCommand}; fi\necho done`,
                },
              ],
            },
          },
        ],
      },
    },
  };
  const { runs } = await applyDocuments(deps, me, doc, ed.box, async (tx, d, i) =>
    d.kind === 'PipelineRun'
      ? { kind: 'PipelineRun', ...(await createPipelineRun(tx, d, 'ops', new Date(), `documents[${i}].spec`)) }
      : { kind: 'TaskRun', ...(await createTaskRun(ed, tx, d, `documents[${i}].spec`)) },
  );
  return runs[0];
}

/** Starts kubernetes-worker-process.ts with `env` (its WORKER_* variables); `out.text` collects its output. */
export function startWorkerProcess(env: Record<string, string>): { child: ChildProcess; out: { text: string } } {
  const out = { text: '' };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve('tests/integration/support/kubernetes-worker-process.ts')],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (out.text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.text += d.toString()));
  return { child, out };
}
