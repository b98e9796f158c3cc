import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { localExecutorWarnings } from './local-executor-warnings';

const task = (spec: string) => parse(`apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n${spec}`);

describe('localExecutorWarnings', () => {
  it('warns of a step without script or command, sidecars and a cluster-only volume, with their paths', () => {
    const warnings = localExecutorWarnings([
      task(
        '  steps:\n    - {name: kaniko, image: gcr.io/kaniko-project/executor}\n    - {name: ok, image: a, script: x}\n' +
          '  sidecars: [{name: db, image: postgres}, {name: web, image: a, script: serve}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: c}}, {name: e, emptyDir: {}}]\n',
      ),
    ]);
    expect(warnings.map((w) => w.path)).toEqual([
      'documents[0].spec.sidecars[0]',
      'documents[0].spec.steps[0]',
      'documents[0].spec.volumes[0]',
    ]);
    expect(warnings[1].message).toMatch(/step "kaniko" has neither script nor command.*StepImageEntrypointUnsupported/);
    expect(warnings[0].message).toMatch(/SidecarsUnsupported/);
    expect(warnings[2].message).toMatch(/bind it to the claim/);
    // Each says how to run it on the Kubernetes executor now.
    for (const w of warnings)
      expect(w.message).toContain(
        'or run it on the Kubernetes executor (choose a cluster for pipelines under Settings → Pipelines or set KEELSON_PIPELINE_CLUSTER, or annotate the PipelineRun keelson.dev/executor: kubernetes).',
      );
  });

  it('finds embedded task specs in a pipeline, and stays quiet for command, stepTemplate command and ref steps', () => {
    const pipeline = parse(`apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: p}
spec:
  tasks:
    - name: a
      taskSpec:
        steps: [{image: alpine}]
    - name: b
      taskSpec:
        stepTemplate: {command: [make]}
        steps: [{image: alpine}, {image: a, command: [ls]}, {ref: {name: action}}]
`);
    expect(localExecutorWarnings([pipeline]).map((w) => w.path)).toEqual([
      'documents[0].spec.tasks[0].taskSpec.steps[0]',
    ]);
  });
});
