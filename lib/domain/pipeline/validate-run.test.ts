import { describe, expect, it } from 'vitest';
import { parseDocuments } from './parse-documents';
import type { TPipeline, TPipelineRun, TTask, TTaskRun } from './spec-schemas';
import { validatePipelineRun, validateTaskRun } from './validate-run';

function load(yaml: string) {
  const result = parseDocuments(yaml);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.resources;
}

const [task, pipeline] = load(`
apiVersion: tekton.dev/v1
kind: Task
metadata: {name: echo}
spec: {params: [{name: msg}], workspaces: [{name: out}], steps: [{image: a, script: "echo $(params.msg)"}]}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  params: [{name: msg}]
  workspaces: [{name: w}]
  tasks: [{name: say, taskRef: {name: echo}, params: [{name: msg, value: $(params.msg)}], workspaces: [{name: out, workspace: w}]}]
`) as [TTask, TPipeline];
const lookups = {
  pipeline: (n: string) => (n === 'p' ? pipeline.spec : undefined),
  task: (n: string) => (n === 'echo' ? task.spec : undefined),
};

const validators = {
  PipelineRun: {
    metadata: '{generateName: r-}',
    check: (run: unknown) => validatePipelineRun(run as TPipelineRun, lookups),
  },
  TaskRun: { metadata: '{name: tr}', check: (run: unknown) => validateTaskRun(run as TTaskRun, lookups) },
};

describe('validatePipelineRun and validateTaskRun', () => {
  it.each<[keyof typeof validators, string, string, string[]]>([
    [
      'PipelineRun',
      'a valid run',
      'pipelineRef: {name: p}\n  params: [{name: msg, value: hi}]\n  workspaces: [{name: w, emptyDir: {}}]',
      [],
    ],
    [
      'PipelineRun',
      'a missing pipeline',
      'pipelineRef: {name: nope}',
      ['PipelineValidationFailed spec.pipelineRef.name'],
    ],
    [
      'PipelineRun',
      'a missing param and workspace',
      'pipelineRef: {name: p}',
      ['ParameterMissing spec.params', 'InvalidWorkspaceBindings spec.workspaces'],
    ],
    [
      'PipelineRun',
      'an inline spec using an undeclared run param (propagation)',
      'params: [{name: greeting, value: hi}]\n  pipelineSpec:\n    tasks: [{name: a, taskSpec: {steps: [{image: x, script: "echo $(params.greeting)"}]}, params: [{name: g, value: $(params.greeting)}]}]',
      [],
    ],
    [
      'PipelineRun',
      'paths into an inline spec',
      'pipelineSpec:\n    tasks: [{name: a, taskRef: {name: echo}, runAfter: [zz]}]',
      [
        'PipelineInvalidGraph spec.pipelineSpec.tasks[0].runAfter[0]',
        'ParameterMissing spec.pipelineSpec.tasks[0].params',
        'InvalidWorkspaceBindings spec.pipelineSpec.tasks[0].workspaces',
      ],
    ],
    [
      'TaskRun',
      'a valid run',
      'taskRef: {name: echo}\n  params: [{name: msg, value: hi}]\n  workspaces: [{name: out, emptyDir: {}}]',
      [],
    ],
    ['TaskRun', 'a missing task', 'taskRef: {name: nope}', ['CouldntGetTask spec.taskRef.name']],
    [
      'TaskRun',
      'a wrong param type',
      'taskRef: {name: echo}\n  params: [{name: msg, value: [a]}]\n  workspaces: [{name: out, emptyDir: {}}]',
      ['ParameterTypeMismatch spec.params[0].value'],
    ],
    [
      'TaskRun',
      'an unbound workspace',
      'taskRef: {name: echo}\n  params: [{name: msg, value: hi}]',
      ['InvalidWorkspaceBindings spec.workspaces'],
    ],
  ])('%s: %s', (kind, _label, specYaml, expected) => {
    const { metadata, check } = validators[kind];
    const [run] = load(`apiVersion: tekton.dev/v1\nkind: ${kind}\nmetadata: ${metadata}\nspec:\n  ${specYaml}\n`);
    expect(check(run).map((e) => `${e.reason} ${e.path}`)).toEqual(expected);
  });
});
