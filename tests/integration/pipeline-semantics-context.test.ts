import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { taskRuns } from '../../lib/adapters/db/schema';
import { CONTEXT_VARIABLES } from '../../lib/domain/pipeline/context-variables';
import {
  apply,
  child,
  getRun,
  logLines,
  pipelineRun,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

/** One log line per variable: `<name>=<value>`, so each value is proven by the run's own output. */
const echoAll = (names: readonly string[]) => names.map((n) => `echo "${n}=$(${n})"`).join('\n');
const named = (place: string) => CONTEXT_VARIABLES.filter((v) => v.place === place).map((v) => v.name);

describe('context variables, proven by what a run prints', () => {
  it('a stored Pipeline and Task: every pipeline, pipeline task and task variable', async () => {
    const pipelineVars = [...named('pipeline'), ...named('pipelineTask')];
    const { runs } = await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ctx-task}
spec:
  params: [${pipelineVars.map((_, i) => `{name: p${i}}`).join(', ')}]
  steps:
    - name: show
      image: alpine
      script: |
${[...pipelineVars.map((n, i) => `echo "${n}=$(params.p${i})"`), ...named('task').map((n) => `echo "${n}=$(${n})"`)]
  .map((l) => `        ${l}`)
  .join('\n')}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ctx-pipe}
spec:
  tasks:
    - name: show
      retries: 2
      taskRef: {name: ctx-task}
      params: [${pipelineVars.map((n, i) => `{name: p${i}, value: "$(${n})"}`).join(', ')}]
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ctx-stored}
spec:
  pipelineRef: {name: ctx-pipe}
`,
    );
    const run = await getRun(h, runs.find((r) => r.kind === 'PipelineRun')!.id);
    await h.engine.advance(run.id);
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const show = await child(h, run.id, 'show');
    expect(await logLines(h, show.id)).toEqual([
      'context.pipelineRun.name=ctx-stored',
      `context.pipelineRun.namespace=${run.project}`,
      `context.pipelineRun.uid=${run.id}`,
      'context.pipeline.name=ctx-pipe',
      'context.pipelineTask.retries=2',
      'context.taskRun.name=ctx-stored-show',
      `context.taskRun.namespace=${run.project}`,
      `context.taskRun.uid=${show.id}`,
      'context.task.name=ctx-task',
      'context.task.retry-count=0',
    ]);
  });

  it("inline specs: the pipeline and task names are the runs' names, pipeline variables reach the Task, retry-count counts", async () => {
    const run = await start(
      h,
      pipelineRun('ctx-inline', {
        tasks: [
          {
            name: 'flaky',
            retries: 1,
            params: [{ name: 'retries', value: '$(context.pipelineTask.retries)' }],
            taskSpec: {
              params: [{ name: 'retries' }],
              steps: [
                {
                  name: 'show',
                  image: 'alpine',
                  script: `${echoAll([...named('pipeline'), 'context.taskRun.name', 'context.task.name', 'context.task.retry-count'])}\necho "retries=$(params.retries)"\n[ "$(context.task.retry-count)" = 1 ]`,
                },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const flaky = await child(h, run.id, 'flaky');
    expect(flaky.attempt).toBe(1);
    // Both attempts print (the first fails on purpose): the same TaskRun, its retry count going up.
    const attempt = (n: number) => [
      'context.pipelineRun.name=ctx-inline',
      `context.pipelineRun.namespace=${done.project}`,
      `context.pipelineRun.uid=${run.id}`,
      'context.pipeline.name=ctx-inline',
      'context.taskRun.name=ctx-inline-flaky',
      'context.task.name=ctx-inline-flaky',
      `context.task.retry-count=${n}`,
      'retries=1',
    ];
    expect(await logLines(h, flaky.id)).toEqual([...attempt(0), ...attempt(1)]);
  });

  it('a standalone TaskRun sees the task variables; pipeline variables stay as written', async () => {
    await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: ctx-solo}
spec:
  steps:
    - name: show
      image: alpine
      script: |
${echoAll(named('task'))
  .split('\n')
  .map((l) => `        ${l}`)
  .join('\n')}
        echo 'pipeline=$(context.pipelineRun.name)'
`,
    );
    const { runs } = await apply(
      h,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ctx-solo-run}
spec:
  taskRef: {name: ctx-solo}
`,
    );
    await h.engine.execute(runs[0].id);
    const [row] = await h.t.handle.db.select().from(taskRuns).where(eq(taskRuns.id, runs[0].id));
    expect(row.state).toBe('succeeded');
    expect(await logLines(h, row.id)).toEqual([
      'context.taskRun.name=ctx-solo-run',
      `context.taskRun.namespace=${row.project}`,
      `context.taskRun.uid=${row.id}`,
      'context.task.name=ctx-solo',
      'context.task.retry-count=0',
      'pipeline=$(context.pipelineRun.name)',
    ]);
  });
});
