import { describe, expect, it } from 'vitest';
import { parseDocuments } from './parse-documents';
import type { TPipeline, TPipelineRun, TTask } from './spec-schemas';
import { validatePipeline } from './validate-pipeline';

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
const resolveTask = (n: string) => (n === 'echo' ? task.spec : undefined);

/**
 * A PipelineRun checked as createPipelineRun checks it (validatePipeline with the run's params and workspaces),
 * with paths into the run document; standalone TaskRuns are checked by createTaskRun (resolveTaskRun), see
 * tests/integration/pipeline-task-run-validation.test.ts.
 */
function check(run: TPipelineRun) {
  const ref = run.spec.pipelineRef?.name;
  return validatePipeline(run.spec.pipelineSpec ?? pipeline.spec, {
    resolveTask,
    runParams: run.spec.params ?? [],
    runWorkspaces: run.spec.workspaces ?? [],
    specPath: run.spec.pipelineSpec ? 'spec.pipelineSpec' : `pipeline/${ref}.spec`,
    runPath: 'spec',
  });
}

describe('a PipelineRun checked against its pipeline (validatePipeline with run params and workspaces)', () => {
  it.each<[string, string, string[]]>([
    [
      'a valid run',
      'pipelineRef: {name: p}\n  params: [{name: msg, value: hi}]\n  workspaces: [{name: w, emptyDir: {}}]',
      [],
    ],
    [
      'a missing param and workspace',
      'pipelineRef: {name: p}',
      ['ParameterMissing spec.params', 'InvalidWorkspaceBindings spec.workspaces'],
    ],
    [
      'an inline spec using an undeclared run param (propagation)',
      'params: [{name: greeting, value: hi}]\n  pipelineSpec:\n    tasks: [{name: a, taskSpec: {steps: [{image: x, script: "echo $(params.greeting)"}]}, params: [{name: g, value: $(params.greeting)}]}]',
      [],
    ],
    [
      'paths into an inline spec',
      'pipelineSpec:\n    tasks: [{name: a, taskRef: {name: echo}, runAfter: [zz]}]',
      [
        'PipelineInvalidGraph spec.pipelineSpec.tasks[0].runAfter[0]',
        'ParameterMissing spec.pipelineSpec.tasks[0].params',
        'InvalidWorkspaceBindings spec.pipelineSpec.tasks[0].workspaces',
      ],
    ],
  ])('%s', (_label, specYaml, expected) => {
    const [run] = load(
      `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata: {generateName: r-}\nspec:\n  ${specYaml}\n`,
    );
    expect(check(run as TPipelineRun).map((e) => `${e.reason} ${e.path}`)).toEqual(expected);
  });
});
