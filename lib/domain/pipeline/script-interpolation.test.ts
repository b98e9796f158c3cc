import { expect, it } from 'vitest';
import { scriptInterpolationWarnings } from './script-interpolation';

const task = (script: string, env?: unknown) => ({
  kind: 'Task',
  spec: { steps: [{ name: 's', image: 'alpine', script, env }] },
});

it('warns for $(params.*) and $(body.*) in a script, naming the path and the env form', () => {
  const [w] = scriptInterpolationWarnings([task('echo "$(params.message)" $(params.message)')]);
  expect(w.path).toBe('documents[0].spec.steps[0].script');
  expect(w.message).toContain('$(params.message)');
  expect(w.message).toContain('env: [{ name: MESSAGE, value: "$(params.message)" }]');
  expect(w.message).toContain('"$MESSAGE"');
  expect(scriptInterpolationWarnings([task('echo $(body.head_commit.message)')])[0].message).toContain('"$MESSAGE"');
});

it('finds scripts inside inline pipeline specs and leaves the env form alone', () => {
  const run = {
    kind: 'PipelineRun',
    spec: { pipelineSpec: { tasks: [{ name: 't', taskSpec: { steps: [{ script: 'echo $(params.x[*])' }] } }] } },
  };
  expect(
    scriptInterpolationWarnings([task('echo "$MESSAGE"', [{ name: 'MESSAGE', value: '$(params.message)' }]), run]).map(
      (w) => w.path,
    ),
  ).toEqual(['documents[1].spec.pipelineSpec.tasks[0].taskSpec.steps[0].script']);
  expect(scriptInterpolationWarnings([task('echo $(results.out.path) $(workspaces.src.path)')])).toEqual([]);
});
