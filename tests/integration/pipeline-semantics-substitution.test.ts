import { describe, expect, it } from 'vitest';
import {
  apply,
  child,
  logLines,
  pipelineRun,
  rejection,
  start,
  useHarness,
  waitForRun,
} from './pipeline-semantics-support';

const h = useHarness();

/** A pipeline whose task `t` runs a step that fails, then one that prints "after", with `onError: $(params.mode)`. */
const tolerant = (name: string, mode: string) =>
  pipelineRun(
    name,
    {
      params: [{ name: 'mode' }],
      tasks: [
        {
          name: 't',
          params: [{ name: 'mode', value: '$(params.mode)' }],
          taskSpec: {
            params: [{ name: 'mode', default: 'stopAndFail' }],
            steps: [
              { name: 'fail', image: 'alpine', script: 'exit 3', onError: '$(params.mode)' },
              { name: 'after', image: 'alpine', script: 'echo after' },
            ],
          },
        },
      ],
    },
    { params: [{ name: 'mode', value: mode }] },
  );

describe('substitution in fields Tekton substitutes before it validates them', () => {
  it('a step onError: $(params.mode) given "continue" lets the next step run', async () => {
    const run = await start(h, tolerant('subst-onerror', 'continue'));
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const t = await child(h, run.id, 't');
    expect(t.status.steps?.map((s) => s.terminated?.exitCode)).toEqual([3, 0]);
    expect(await logLines(h, t.id)).toEqual(['after']);
  });

  it('a step onError that substitutes to anything else fails the TaskRun with TaskRunValidationFailed', async () => {
    const run = await start(h, tolerant('subst-onerror-bad', 'sometimes'));
    const done = await waitForRun(h, run.id);
    expect(done.conditionStatus).toBe('False');
    const t = await child(h, run.id, 't');
    expect(t.state).toBe('failed');
    expect(t.status.conditions[0].reason).toBe('TaskRunValidationFailed');
    expect(t.status.conditions[0].message).toContain(
      'task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "sometimes"',
    );
  });

  it('a pipeline task onError: $(params.policy) given "continue" lets the run go on past its failure', async () => {
    const run = await start(
      h,
      pipelineRun(
        'subst-task-onerror',
        {
          params: [{ name: 'policy' }],
          tasks: [
            {
              name: 'flaky',
              onError: '$(params.policy)',
              taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'exit 1' }] },
            },
            {
              name: 'next',
              runAfter: ['flaky'],
              taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo next ran' }] },
            },
          ],
        },
        { params: [{ name: 'policy', value: 'continue' }] },
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.conditionStatus).toBe('True');
    expect(await logLines(h, (await child(h, run.id, 'next')).id)).toEqual(['next ran']);
  });

  it('a pipeline task onError: $(params.policy) given an invalid value is refused before the run starts', async () => {
    const err = await rejection(
      apply(
        h,
        pipelineRun(
          'subst-task-onerror-bad',
          {
            params: [{ name: 'policy' }],
            tasks: [
              { name: 'x', onError: '$(params.policy)', taskSpec: { steps: [{ image: 'alpine', script: 'true' }] } },
            ],
          },
          { params: [{ name: 'policy', value: 'ignore' }] },
        ),
      ),
    );
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details)).toContain(
      'PipelineTask OnError must be either \\"continue\\" or \\"stopAndFail\\"',
    );
  });

  it('legacy $(inputs.params.x) in a Task is still rewritten, element and whole array included', async () => {
    const run = await start(
      h,
      pipelineRun('subst-legacy', {
        tasks: [
          {
            name: 'old',
            params: [
              { name: 'greeting', value: 'hello' },
              { name: 'names', value: ['ann', 'bob'] },
            ],
            taskSpec: {
              params: [{ name: 'greeting' }, { name: 'names', type: 'array' }],
              steps: [
                {
                  name: 's',
                  image: 'alpine',
                  command: ['sh', '-c', 'echo "$0 $1 $2"; echo "second=$(inputs.params.names[1])"'],
                  args: ['$(inputs.params.greeting)', '$(inputs.params.names[*])'],
                },
              ],
            },
          },
        ],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'old')).id)).toEqual(['hello ann bob', 'second=bob']);
  });
});

describe('variables inside param values (Tekton substitutes params first, the rest after)', () => {
  it('a run param may use $(context.pipelineRun.name); a Task param default may use task variables', async () => {
    const run = await start(
      h,
      pipelineRun(
        'subst-in-params',
        {
          params: [{ name: 'tag' }],
          workspaces: [{ name: 'src' }],
          tasks: [
            {
              name: 'show',
              params: [{ name: 'tag', value: '$(params.tag)' }],
              workspaces: [{ name: 'src', workspace: 'src' }],
              taskSpec: {
                params: [
                  { name: 'tag' },
                  { name: 'who', default: '$(context.taskRun.name)#$(context.task.retry-count)' },
                  { name: 'where', default: '$(workspaces.src.path)/out' },
                ],
                workspaces: [{ name: 'src' }],
                steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.tag) $(params.who) $(params.where)"' }],
              },
            },
          ],
        },
        {
          params: [{ name: 'tag', value: 'build-$(context.pipelineRun.name)' }],
          workspaces: [{ name: 'src', emptyDir: {} }],
        },
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'show')).id)).toEqual([
      'build-subst-in-params subst-in-params-show#0 /workspace/src/out',
    ]);
  });
});

describe('pipeline param defaults that use other params', () => {
  const chain = (name: string, params: unknown[]) =>
    pipelineRun(name, {
      params,
      tasks: [
        {
          name: 'show',
          params: [{ name: 'image', value: '$(params.image)' }],
          taskSpec: {
            params: [{ name: 'image' }],
            steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.image)"' }],
          },
        },
      ],
    });

  it('resolves a default built from other params, whatever their order', async () => {
    const run = await start(
      h,
      chain('subst-defaults', [
        { name: 'image', default: '$(params.registry)/app:$(params.tag)' },
        { name: 'registry', default: 'registry.local' },
        { name: 'tag', default: 'v$(params.major)' },
        { name: 'major', default: '2' },
      ]),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'show')).id)).toEqual(['registry.local/app:v2']);
  });

  it('refuses a run whose defaults form a cycle', async () => {
    const err = await rejection(
      apply(
        h,
        chain('subst-defaults-cycle', [
          { name: 'image', default: '$(params.tag)' },
          { name: 'tag', default: '$(params.image)' },
        ]),
      ),
    );
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details)).toContain('circular dependency detected in param');
  });
});

describe('a taskRef name from a param', () => {
  it('a stored Pipeline names its Task with $(params.lang); each run resolves the Task its param names', async () => {
    const greet = (lang: string, word: string) => `apiVersion: tekton.dev/v1
kind: Task
metadata: {name: greet-${lang}}
spec:
  steps: [{name: s, image: alpine, script: 'echo ${word}'}]
---
`;
    await apply(
      h,
      `${greet('en', 'hello')}${greet('fr', 'bonjour')}apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: greeter}
spec:
  params: [{name: lang, default: en}]
  tasks: [{name: hi, taskRef: {name: "greet-$(params.lang)"}}]
`,
    );
    const run = await start(h, {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { name: 'subst-taskref' },
      spec: { pipelineRef: { name: 'greeter' }, params: [{ name: 'lang', value: 'fr' }] },
    });
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'hi')).id)).toEqual(['bonjour']);
    const bad = await rejection(
      apply(h, {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { name: 'subst-taskref-missing' },
        spec: { pipelineRef: { name: 'greeter' }, params: [{ name: 'lang', value: 'de' }] },
      }),
    );
    expect(JSON.stringify(bad.details)).toContain('Task \\"greet-de\\", which does not exist');
  });
});

describe('$(workspaces.<w>.bound) in a pipeline', () => {
  it('is "true" for a workspace the run binds and "false" for an optional one it leaves out', async () => {
    const run = await start(
      h,
      pipelineRun(
        'subst-bound',
        {
          workspaces: [{ name: 'src' }, { name: 'cache', optional: true }],
          tasks: [
            {
              name: 'report',
              params: [{ name: 'both', value: 'src=$(workspaces.src.bound) cache=$(workspaces.cache.bound)' }],
              taskSpec: {
                params: [{ name: 'both' }],
                steps: [{ name: 's', image: 'alpine', script: 'echo "$(params.both)"' }],
              },
            },
            {
              name: 'use-cache',
              when: [{ input: '$(workspaces.cache.bound)', operator: 'in', values: ['true'] }],
              taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'echo cache' }] },
            },
          ],
        },
        { workspaces: [{ name: 'src', emptyDir: {} }] },
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'report')).id)).toEqual(['src=true cache=false']);
    expect(done.status.skippedTasks).toEqual([{ name: 'use-cache', reason: 'When Expressions evaluated to false' }]);
  });
});

describe('pipeline results from finally tasks', () => {
  it("$(finally.<task>.results.<r>) gives a finally task's result to the pipeline", async () => {
    const run = await start(
      h,
      pipelineRun('subst-finally-result', {
        tasks: [{ name: 'work', taskSpec: { steps: [{ name: 's', image: 'alpine', script: 'true' }] } }],
        finally: [
          {
            name: 'summary',
            taskSpec: {
              results: [{ name: 'verdict' }],
              steps: [{ name: 's', image: 'alpine', script: 'printf ok > $(results.verdict.path)' }],
            },
          },
        ],
        results: [{ name: 'verdict', value: '$(finally.summary.results.verdict)' }],
      }),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(done.status.results).toEqual([{ name: 'verdict', value: 'ok' }]);
  });
});

describe('a Task workspace mountPath from a param', () => {
  const mounted = (name: string, dir: string) =>
    pipelineRun(
      name,
      {
        params: [{ name: 'dir' }],
        workspaces: [{ name: 'w' }],
        tasks: [
          {
            name: 'put',
            params: [{ name: 'dir', value: '$(params.dir)' }],
            workspaces: [{ name: 'data', workspace: 'w' }],
            taskSpec: {
              params: [{ name: 'dir' }],
              workspaces: [{ name: 'data', mountPath: '/workspace/$(params.dir)' }],
              steps: [
                {
                  name: 's',
                  image: 'alpine',
                  script: 'echo "$(workspaces.data.path)"; touch /workspace/$(params.dir)/f',
                },
              ],
            },
          },
        ],
      },
      { params: [{ name: 'dir', value: dir }], workspaces: [{ name: 'w', emptyDir: {} }] },
    );

  it('is substituted, and the step sees the workspace there', async () => {
    const run = await start(h, mounted('subst-mount', 'store'));
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True' });
    expect(await logLines(h, (await child(h, run.id, 'put')).id)).toEqual(['/workspace/store']);
  });

  it('one that substitutes to a path outside the rules fails the TaskRun before any step', async () => {
    const run = await start(h, mounted('subst-mount-bad', '../etc'));
    const done = await waitForRun(h, run.id);
    expect(done.conditionStatus).toBe('False');
    const put = await child(h, run.id, 'put');
    expect(put.status.conditions[0].reason).toBe('TaskRunValidationFailed');
    expect(put.status.conditions[0].message).toContain(
      'mountPath "/workspace/../etc" of workspace "data" contains ".."',
    );
  });
});

describe('whole arrays and objects passed on (type inference at validation)', () => {
  it('$(params.arr[*]), $(tasks.t.results.obj[*]) and $(tasks.t.results.arr) reach array and object params', async () => {
    const run = await start(
      h,
      pipelineRun(
        'subst-whole',
        {
          params: [{ name: 'flags', type: 'array' }],
          tasks: [
            {
              name: 'make',
              taskSpec: {
                results: [
                  { name: 'conf', type: 'object', properties: { host: {}, port: {} } },
                  { name: 'files', type: 'array' },
                ],
                steps: [
                  {
                    name: 's',
                    image: 'alpine',
                    script:
                      'printf \'{"host":"db","port":"5432"}\' > $(results.conf.path)\nprintf \'["a.txt","b.txt"]\' > $(results.files.path)',
                  },
                ],
              },
            },
            {
              name: 'use',
              params: [
                { name: 'flags', value: '$(params.flags[*])' },
                { name: 'conf', value: '$(tasks.make.results.conf[*])' },
                { name: 'files', value: '$(tasks.make.results.files)' },
              ],
              taskSpec: {
                params: [
                  { name: 'flags', type: 'array' },
                  { name: 'conf', type: 'object', properties: { host: {}, port: {} } },
                  { name: 'files', type: 'array' },
                ],
                steps: [
                  {
                    name: 's',
                    image: 'alpine',
                    command: ['sh', '-c', 'echo "$*"', 'sh'],
                    args: ['$(params.flags[*])', '$(params.conf.host):$(params.conf.port)', '$(params.files[*])'],
                  },
                ],
              },
            },
          ],
        },
        { params: [{ name: 'flags', value: ['-v', '--fast'] }] },
      ),
    );
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    expect(await logLines(h, (await child(h, run.id, 'use')).id)).toEqual(['-v --fast db:5432 a.txt b.txt']);
  });

  it('a string result passed to an array param is still refused, with the param named', async () => {
    const err = await rejection(
      apply(
        h,
        pipelineRun('subst-wrong-type', {
          tasks: [
            {
              name: 'make',
              taskSpec: { results: [{ name: 'one' }], steps: [{ image: 'alpine', script: 'true' }] },
            },
            {
              name: 'use',
              params: [{ name: 'list', value: '$(tasks.make.results.one)' }],
              taskSpec: { params: [{ name: 'list', type: 'array' }], steps: [{ image: 'alpine', script: 'true' }] },
            },
          ],
        }),
      ),
    );
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.details)).toContain('param \\"list\\" of task \\"use\\" is declared as array');
  });
});
