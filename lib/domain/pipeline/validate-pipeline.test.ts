import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZPipelineSpec } from './pipeline-schemas';
import { ZTaskSpec, type TTaskSpec } from './task-schemas';
import { validatePipeline, type ValidatePipelineOptions } from './validate-pipeline';

const spec = (yaml: string) => ZPipelineSpec.parse(parse(yaml));
const tasks: Record<string, TTaskSpec> = {
  build: ZTaskSpec.parse({
    params: [{ name: 'url' }, { name: 'flags', type: 'array', default: [] }],
    results: [{ name: 'sha' }, { name: 'files', type: 'array' }],
    steps: [{ image: 'a', script: 'true' }],
  }),
  deploy: ZTaskSpec.parse({
    params: [{ name: 'env', enum: ['dev', 'prod'], default: 'dev' }],
    workspaces: [{ name: 'src' }],
    steps: [{ image: 'a', script: 'true' }],
  }),
  plain: ZTaskSpec.parse({ params: [{ name: 'os', default: 'linux' }], steps: [{ image: 'a', script: 'true' }] }),
};
const resolveTask = (name: string) => tasks[name];

const cases: [string, string, ValidatePipelineOptions, string[]][] = [
  [
    'a valid pipeline',
    `
params: [{name: repo}, {name: targets, type: array, default: [a, b]}]
workspaces: [{name: shared}]
tasks:
  - {name: build, taskRef: {name: build}, params: [{name: url, value: $(params.repo)}, {name: flags, value: "$(params.targets[*])"}]}
  - name: deploy
    taskRef: {name: deploy}
    workspaces: [{name: src, workspace: shared}]
    when: [{input: $(tasks.build.results.sha), operator: notin, values: [""]}]
finally:
  - {name: report, taskRef: {name: plain}, params: [{name: os, value: "$(tasks.build.status) $(tasks.status)"}]}
results: [{name: sha, value: $(tasks.build.results.sha)}]
`,
    { resolveTask, runParams: [{ name: 'repo', value: 'r' }], runWorkspaces: [{ name: 'shared', emptyDir: {} }] },
    [],
  ],
  [
    'runAfter a missing task',
    'tasks: [{name: a, taskRef: {name: plain}, runAfter: [ghost]}]',
    {},
    [
      'PipelineInvalidGraph a spec.tasks[0].runAfter[0] task "a" runs after "ghost", which is not a task in this pipeline',
    ],
  ],
  [
    'runAfter a finally task',
    'tasks: [{name: a, taskRef: {name: plain}, runAfter: [f]}]\nfinally: [{name: f, taskRef: {name: plain}}]',
    {},
    ['PipelineInvalidGraph a spec.tasks[0].runAfter[0] task "a" runs after "f", which is a finally task'],
  ],
  [
    'a cycle through runAfter and a result',
    'tasks:\n  - {name: a, taskRef: {name: build}, runAfter: [b], params: [{name: url, value: x}]}\n  - {name: b, taskRef: {name: plain}, params: [{name: os, value: $(tasks.a.results.sha)}]}',
    { resolveTask },
    ['PipelineInvalidGraph b spec.tasks the tasks form a cycle: b → a → b'],
  ],
  [
    'a result of an unknown task',
    'tasks: [{name: a, taskRef: {name: plain}, params: [{name: os, value: $(tasks.nope.results.x)}]}]',
    {},
    [
      'InvalidTaskResultReference a spec.tasks[0].params[0].value task "a" uses $(tasks.nope.results.x), but there is no task "nope"',
    ],
  ],
  [
    'an undeclared result',
    'tasks:\n  - {name: b, taskRef: {name: build}, params: [{name: url, value: u}]}\n  - {name: c, taskRef: {name: plain}, when: [{input: $(tasks.b.results.digest), operator: in, values: [x]}]}',
    { resolveTask },
    [
      'InvalidTaskResultReference c spec.tasks[1].when[0].input task "c" uses $(tasks.b.results.digest), but task "b" declares no result "digest" (it declares sha, files)',
    ],
  ],
  [
    'an undeclared result in an inline spec, without a lookup',
    'tasks:\n  - {name: b, taskSpec: {results: [{name: out}], steps: [{image: a}]}}\n  - {name: c, taskRef: {name: x}, params: [{name: p, value: $(tasks.b.results.other)}]}',
    {},
    [
      'InvalidTaskResultReference c spec.tasks[1].params[0].value task "c" uses $(tasks.b.results.other), but task "b" declares no result "other" (it declares out)',
    ],
  ],
  [
    'a task reads a finally task result',
    'tasks: [{name: a, taskRef: {name: plain}, params: [{name: os, value: $(tasks.f.results.r)}]}]\nfinally: [{name: f, taskRef: {name: plain}}]',
    {},
    [
      'InvalidTaskResultReference a spec.tasks[0].params[0].value task "a" uses $(tasks.f.results.r), but "f" is a finally task',
    ],
  ],
  [
    'a status read outside finally',
    'tasks:\n  - {name: a, taskRef: {name: plain}}\n  - {name: b, taskRef: {name: plain}, when: [{input: $(tasks.a.status), operator: in, values: [Succeeded]}]}',
    {},
    [
      'PipelineValidationFailed b spec.tasks[1].when[0].input task "b" uses $(tasks.a.status), which only finally tasks can read',
    ],
  ],
  [
    'runAfter in finally',
    'tasks: [{name: a, taskRef: {name: plain}}]\nfinally: [{name: f, taskRef: {name: plain}, runAfter: [a]}]',
    {},
    ['PipelineValidationFailed f spec.finally[0].runAfter finally task "f" has runAfter'],
  ],
  [
    'a pipeline result of an unknown task',
    'tasks: [{name: a, taskRef: {name: plain}}]\nresults: [{name: r, value: $(tasks.zz.results.x)}]',
    {},
    [
      'InvalidTaskResultReference undefined spec.results[0].value the pipeline results uses $(tasks.zz.results.x), but there is no task "zz"',
    ],
  ],
  [
    'a missing task param',
    'tasks: [{name: b, taskRef: {name: build}}]',
    { resolveTask },
    [
      'ParameterMissing b spec.tasks[0].params param "url" of task "b" has no default and pipeline task "b" does not provide it',
    ],
  ],
  [
    'an array for a string param',
    'tasks: [{name: b, taskRef: {name: build}, params: [{name: url, value: [x, y]}]}]',
    { resolveTask },
    [
      'ParameterTypeMismatch b spec.tasks[0].params[0].value param "url" of task "b" is declared as string but pipeline task "b" gives an array',
    ],
  ],
  [
    'an array param reference for a string param',
    'params: [{name: list, type: array}]\ntasks: [{name: b, taskRef: {name: build}, params: [{name: url, value: "$(params.list[*])"}]}]',
    { resolveTask },
    [
      'ParameterTypeMismatch b spec.tasks[0].params[0].value param "url" of task "b" is declared as string but pipeline task "b" gives an array',
    ],
  ],
  [
    'an enum violation',
    'workspaces: [{name: w}]\ntasks: [{name: d, taskRef: {name: deploy}, params: [{name: env, value: qa}], workspaces: [{name: src, workspace: w}]}]',
    { resolveTask },
    ['InvalidParamValue d spec.tasks[0].params[0].value param "env" of task "d" is "qa"'],
  ],
  [
    'a missing run param and a wrong run param type',
    'params: [{name: repo}, {name: list, type: array}]\ntasks: [{name: a, taskRef: {name: plain}}]',
    { runParams: [{ name: 'list', value: 'x' }] },
    [
      'ParameterMissing undefined spec.params param "repo" has no default and the PipelineRun does not provide it',
      'ParameterTypeMismatch undefined spec.params[0].value param "list" is declared as array but the PipelineRun gives a string',
    ],
  ],
  [
    'an undeclared pipeline param',
    'tasks: [{name: a, taskRef: {name: plain}, params: [{name: os, value: $(params.nope)}]}]',
    {},
    [
      'PipelineValidationFailed a spec.tasks[0].params[0].value task "a" uses $(params.nope), but the pipeline declares no param "nope"',
    ],
  ],
  [
    'a missing Task',
    'tasks: [{name: a, taskRef: {name: ghost}}]',
    { resolveTask },
    ['CouldntGetTask a spec.tasks[0].taskRef.name task "a" refers to Task "ghost", which does not exist'],
  ],
  [
    'a matrix over the cap',
    `tasks:\n  - name: m\n    taskRef: {name: plain}\n    matrix:\n      params:\n        - {name: os, value: [${Array.from({ length: 20 }, (_, i) => `o${i}`).join(', ')}]}\n        - {name: v, value: [${Array.from({ length: 13 }, (_, i) => `v${i}`).join(', ')}]}`,
    { resolveTask },
    [
      'PipelineValidationFailed m spec.tasks[0].matrix the matrix of task "m" creates 260 combinations, over the cap of 256',
    ],
  ],
  [
    'a matrix over the cap through a run param',
    'params: [{name: list, type: array}]\ntasks: [{name: m, taskRef: {name: plain}, matrix: {params: [{name: os, value: $(params.list)}]}}]',
    { runParams: [{ name: 'list', value: Array.from({ length: 300 }, (_, i) => `x${i}`) }] },
    ['PipelineValidationFailed m spec.tasks[0].matrix the matrix of task "m" creates 300 combinations'],
  ],
  [
    'a matrix at the cap',
    `tasks: [{name: m, taskRef: {name: plain}, matrix: {params: [{name: os, value: [${Array.from({ length: 256 }, (_, i) => `o${i}`).join(', ')}]}]}}]`,
    { resolveTask },
    [],
  ],
  [
    'a param in params and matrix',
    'tasks: [{name: m, taskRef: {name: plain}, params: [{name: os, value: a}], matrix: {params: [{name: os, value: [a, b]}]}}]',
    { resolveTask },
    ['PipelineValidationFailed m spec.tasks[0].params[0] param "os" of task "m" is set in both params and matrix'],
  ],
  [
    'an undeclared workspace',
    'tasks: [{name: d, taskRef: {name: deploy}, workspaces: [{name: src, workspace: nope}]}]',
    { resolveTask },
    ['InvalidWorkspaceBindings d spec.tasks[0].workspaces[0].workspace task "d" binds workspace "src" to "nope"'],
  ],
  [
    'an unbound task workspace',
    'tasks: [{name: d, taskRef: {name: deploy}}]',
    { resolveTask },
    ['InvalidWorkspaceBindings d spec.tasks[0].workspaces task "d" needs workspace "src"'],
  ],
  [
    'an unbound run workspace',
    'workspaces: [{name: w}, {name: o, optional: true}]\ntasks: [{name: a, taskRef: {name: plain}}]',
    { runWorkspaces: [], runPath: 'spec' },
    ['InvalidWorkspaceBindings undefined spec.workspaces pipeline workspace "w" is not bound by the PipelineRun'],
  ],
  [
    'propagated params and workspaces satisfy an inline task',
    'params: [{name: url}]\nworkspaces: [{name: src}]\ntasks: [{name: a, taskSpec: {params: [{name: url}], workspaces: [{name: src}], steps: [{image: a, script: "echo $(params.url)"}]}}]',
    {},
    [],
  ],
  [
    'paths under a PipelineRun',
    'tasks: [{name: a, taskRef: {name: plain}, runAfter: [x]}]',
    { specPath: 'spec.pipelineSpec' },
    ['PipelineInvalidGraph a spec.pipelineSpec.tasks[0].runAfter[0]'],
  ],
];

describe('validatePipeline', () => {
  it.each(cases)('%s', (_label, yaml, options, expected) => {
    const errors = validatePipeline(spec(yaml), options);
    const lines = errors.map((e) => `${e.reason} ${e.task} ${e.path} ${e.message}`);
    expect(lines.map((line, i) => line.slice(0, expected[i]?.length))).toEqual(expected);
    for (const e of errors) expect(e.hint, e.message).toMatch(/^[A-Z].*\.$/);
  });
});
