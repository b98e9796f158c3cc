import { describe, expect, it } from 'vitest';
import { CONTEXT_VARIABLES, contextScope, contextVariableNames, taskContextFacts } from './context-variables';
import { ZPipelineTask } from './pipeline-schemas';
import { planTaskStart } from './plan-task-start';
import { resolveTaskRun, type TaskRunContext } from './resolve-task-run';
import { runFacts } from './run-facts';
import { base, spec } from './scheduler-fixtures';
import { ZTaskSpec } from './task-schemas';

/** A child TaskRun (retry 2) of PipelineRun pr-1 of Pipeline ci, in project team-a. */
const child: TaskRunContext = {
  taskRunName: 'pr-1-build',
  namespace: 'team-a',
  taskRunUid: 'tr-uid',
  taskName: 'compile',
  retryCount: 2,
  pipelineRunName: 'pr-1',
  pipelineRunUid: 'pr-uid',
  pipelineName: 'ci',
};

/** What each variable is in that setting (the pipeline task has retries: 3). */
const expected: Record<string, string> = {
  'context.pipelineRun.name': 'pr-1',
  'context.pipelineRun.namespace': 'team-a',
  'context.pipelineRun.uid': 'pr-uid',
  'context.pipeline.name': 'ci',
  'context.pipelineTask.retries': '3',
  'context.taskRun.name': 'pr-1-build',
  'context.taskRun.namespace': 'team-a',
  'context.taskRun.uid': 'tr-uid',
  'context.task.name': 'compile',
  'context.task.retry-count': '2',
};

/** The value `$(<name>)` takes in a step script of the TaskRun above. */
function inTask(name: string, context: TaskRunContext = child): string | undefined {
  const resolved = resolveTaskRun({
    spec: ZTaskSpec.parse({ steps: [{ image: 'alpine', script: `$(${name})` }] }),
    params: {},
    context,
  });
  if (!resolved.ok) throw new Error(resolved.errors[0].message);
  return resolved.plan.steps[0].script;
}

/** The value `$(<name>)` takes in a pipeline task param of PipelineRun pr-1 (pipeline ci, project team-a). */
function inPipelineTask(name: string, pipeline: { name?: string } = { name: 'ci' }): string | undefined {
  const task = ZPipelineTask.parse({ name: 'build', taskRef: { name: 'compile' }, retries: 3, params: [] });
  const withParam = { ...task, params: [{ name: 'v', value: `$(${name})` }] };
  const pipelineSpec = spec(`tasks: [{name: build, taskRef: {name: compile}}]`);
  const facts = runFacts(
    base({
      pipelineRun: { name: 'pr-1', namespace: 'team-a', uid: 'pr-uid' },
      pipelineName: pipeline.name,
      spec: pipelineSpec,
    }),
  );
  const planned = planTaskStart(
    withParam,
    pipelineSpec,
    facts.scopeWithResults(),
    {},
    {
      pipelineRunName: 'pr-1',
      isFinally: false,
      attempt: 0,
    },
  );
  if (!planned.ok) throw new Error('not planned');
  return planned.starts[0].params.v as string;
}

describe('the context variable table', () => {
  it("lists exactly the variables Tekton's docs and substitution code know", () => {
    expect(CONTEXT_VARIABLES.map((v) => v.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(CONTEXT_VARIABLES.map((v) => [v.name, v] as const))('%s', (name, variable) => {
    // Derived from the facts, and absent when the facts lack that part.
    expect(variable.value({ ...taskContextFacts(child), pipelineTask: { retries: 3 } })).toBe(expected[name]);
    expect(variable.value({})).toBeUndefined();
    // Substituted where the table says, left as it is elsewhere (as in Tekton).
    const literal = `$(${name})`;
    expect(inTask(name)).toBe(variable.place === 'pipelineTask' ? literal : expected[name]);
    expect(inPipelineTask(name)).toBe(variable.place === 'task' ? literal : expected[name]);
  });

  it('a standalone TaskRun sees its own variables only; an inline taskSpec is named after its TaskRun', () => {
    const standalone: TaskRunContext = { ...child, pipelineRunName: undefined, pipelineName: undefined };
    expect(inTask('context.pipelineRun.name', standalone)).toBe('$(context.pipelineRun.name)');
    expect(inTask('context.pipeline.name', standalone)).toBe('$(context.pipeline.name)');
    expect(inTask('context.task.name', { ...child, inlineSpec: true })).toBe('pr-1-build');
  });

  it("an inline pipelineSpec's context.pipeline.name is the PipelineRun's name", () => {
    expect(inPipelineTask('context.pipeline.name', {})).toBe('pr-1');
    expect(inTask('context.pipeline.name', { ...child, pipelineName: undefined })).toBe('pr-1');
  });

  it('contextScope and contextVariableNames follow the table', () => {
    expect(contextScope({ pipelineTask: { retries: 0 } })).toEqual({ 'context.pipelineTask.retries': '0' });
    expect(contextVariableNames('pipelineTask')).toEqual(['context.pipelineTask.retries']);
    expect(contextVariableNames('task')).toHaveLength(5);
  });
});
