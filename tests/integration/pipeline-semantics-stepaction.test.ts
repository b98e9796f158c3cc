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
  results: [{ name: loud, value: "$(steps.first.results.loud)" }]
  steps:
    - name: first
      ref: { name: shout }
      params:
        - { name: word, value: "$(params.w)" }
        - { name: times, value: "3" }
    - name: second
      image: alpine
      env: [{ name: SAW, value: "$(steps.first.results.loud)" }]
      script: echo "task saw $SAW"
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
  it('applies a StepAction, runs a ref step with params and defaults, and the task publishes its step result', async () => {
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
    expect(use.status.steps![0].results).toEqual([{ name: 'loud', type: 'string', value: 'hey!hey!hey!' }]);
    const lines = await logLines(h, use.id);
    expect(lines).toContain('shouting hey!hey!hey!');
    expect(lines).toContain('task saw hey!hey!hey!');
    expect(await logLines(h, (await child(h, run.id, 'next')).id)).toContain('next got hey!hey!hey!');
  });

  it('passes step results to later steps and StepAction params (arrays too), and publishes typed task results', async () => {
    const run = await start(h, stepResultsYaml);
    const done = await waitForRun(h, run.id);
    expect(done.status.conditions[0]).toMatchObject({ status: 'True', reason: 'Succeeded' });
    const use = await child(h, run.id, 'use');
    expect(use.status.steps!.map((s) => [s.name, s.results])).toEqual([
      [
        'make',
        [
          { name: 'tags', type: 'array', value: ['v1', 'v2', 'v3'] },
          { name: 'first', type: 'string', value: 'alpha' },
        ],
      ],
      ['join', [{ name: 'joined', type: 'string', value: 'v1,v2,v3' }]],
      ['show', undefined],
    ]);
    expect(result(use.status, 'joined')).toBe('v1,v2,v3');
    expect(result(use.status, 'tags')).toEqual(['v1', 'v2', 'v3']);
    expect(await logLines(h, use.id)).toContain('show: alpha v1,v2,v3');
    expect(await logLines(h, (await child(h, run.id, 'next')).id)).toContain('next: v1,v2,v3 / v1 v2 v3');
  });
});

const stepResultsYaml = `apiVersion: tekton.dev/v1
kind: StepAction
metadata: { name: join }
spec:
  image: alpine
  params: [{ name: sep }, { name: items, type: array }]
  results: [{ name: joined }]
  args: ["$(params.items[*])"]
  script: |
    #!/bin/sh
    IFS="$(params.sep)"
    printf '%s' "$*" > $(step.results.joined.path)
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: { name: step-results-run }
spec:
  pipelineSpec:
    tasks:
      - name: use
        taskSpec:
          results:
            - { name: joined, value: "$(steps.join.results.joined)" }
            - { name: tags, type: array, value: "$(steps.make.results.tags[*])" }
          steps:
            - name: make
              image: alpine
              results: [{ name: tags, type: array }, { name: first }]
              script: |
                printf '["v1","v2","v3"]' > $(step.results.tags.path)
                printf alpha > $(step.results.first.path)
            - name: join
              ref: { name: join }
              params:
                - { name: sep, value: "," }
                - { name: items, value: "$(steps.make.results.tags[*])" }
            - name: show
              image: alpine
              env: [{ name: FIRST, value: "$(steps.make.results.first)" }]
              script: |
                echo "show: $FIRST $(steps.join.results.joined)"
      - name: next
        params:
          - { name: joined, value: "$(tasks.use.results.joined)" }
          - { name: tags, value: "$(tasks.use.results.tags[*])" }
        taskSpec:
          params: [{ name: joined }, { name: tags, type: array }]
          steps:
            - name: s
              image: alpine
              args: ["$(params.tags[*])"]
              script: |
                #!/bin/sh
                echo "next: $(params.joined) / $*"
`;
