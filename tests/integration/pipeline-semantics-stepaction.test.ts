import { describe, expect, it } from 'vitest';
import { apply, child, logLines, result, start, useHarness, waitForRun } from './pipeline-semantics-support';

const h = useHarness();

const yaml = `apiVersion: tekton.dev/v1
kind: StepAction
metadata: { name: shout }
spec:
  image: alpine
  params:
    - { name: word }
    - { name: times, default: "2" }
  results: [{ name: loud }]
  env:
    - { name: WORD, value: "$(params.word)" }
  script: |
    out=""
    for i in $(seq $(params.times)); do out="$out$WORD!"; done
    echo "shouting $out"
    printf '%s' "$out" > $(step.results.loud.path)
---
apiVersion: tekton.dev/v1
kind: Task
metadata: { name: use-shout }
spec:
  params: [{ name: w }]
  results: [{ name: loud }]
  steps:
    - name: first
      ref: { name: shout }
      params:
        - { name: word, value: "$(params.w)" }
        - { name: times, value: "3" }
    - name: second
      image: alpine
      script: echo "task saw $(cat $(results.loud.path))"
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: stepaction-run }
spec:
  pipelineSpec:
    tasks:
      - name: use
        taskRef: { name: use-shout }
        params: [{ name: w, value: hey }]
      - name: next
        params: [{ name: got, value: "$(tasks.use.results.loud)" }]
        taskSpec:
          params: [{ name: got }]
          steps: [{ name: show, image: alpine, script: 'echo "next got $(params.got)"' }]
`;

describe('StepAction', () => {
  it('applies a StepAction, runs a ref step with params and defaults, and the step writes a task result', async () => {
    const { applied } = await apply(h, yaml.split('---\napiVersion: tekton.dev/v1\nkind: PipelineRun')[0]);
    expect(applied).toEqual([
      { kind: 'StepAction', name: 'shout', action: 'created' },
      { kind: 'Task', name: 'use-shout', action: 'created' },
    ]);
    const run = await start(h, yaml);
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const use = await child(h, run.id, 'use');
    expect(result(use.status, 'loud')).toBe('hey!hey!hey!');
    expect(use.status.steps!.map((s) => s.name)).toEqual(['first', 'second']);
    const lines = await logLines(h, use.id);
    expect(lines).toContain('shouting hey!hey!hey!');
    expect(lines).toContain('task saw hey!hey!hey!');
    expect(await logLines(h, (await child(h, run.id, 'next')).id)).toContain('next got hey!hey!hey!');
  });
});
