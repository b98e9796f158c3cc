import { describe, expect, it } from 'vitest';
import { resolveTaskRun } from './resolve-task-run';
import { applyStepResults, checkStepResultReferences, stepResultScope, taskResultsFromSteps } from './step-results';
import type { StepPlan } from './task-run-plan';
import { ZStepActionSpec, ZTaskSpec } from './task-schemas';

const context = { taskRunName: 'tr', namespace: 'default', taskRunUid: 'u', taskName: 'build', retryCount: 0 };

const step = (name: string, over: Partial<StepPlan> = {}): StepPlan => ({
  name,
  env: {},
  onError: 'stopAndFail',
  ...over,
});
const producer = step('inline', {
  results: [
    { name: 'list', type: 'array' },
    { name: 'word', type: 'string' },
    { name: 'img', type: 'object' },
  ],
});
const written = { inline: { list: '["a","b"]', word: 'foo', img: '{"url":"ar.com","digest":"sha"}' } };

describe('step results', () => {
  it('types what the steps wrote, and leaves out what they did not', () => {
    expect(stepResultScope([producer, step('other', { results: [{ name: 'x', type: 'string' }] })], written)).toEqual({
      'steps.inline.results.list': ['a', 'b'],
      'steps.inline.results.word': 'foo',
      'steps.inline.results.img': { url: 'ar.com', digest: 'sha' },
    });
  });

  it('fills a later step: whole arrays expand in command and args, strings and keys everywhere', () => {
    const scope = stepResultScope([producer], written);
    const later = step('use', {
      command: ['echo', '$(steps.inline.results.list[*])'],
      args: ['$(steps.inline.results.word)', '$(steps.inline.results.list[1])', '$(steps.inline.results.img.url)'],
      env: { W: 'w=$(steps.inline.results.word)', KEEP: '$(params.x)' },
      script: undefined,
      workingDir: '/workspace/$(steps.inline.results.word)',
    });
    expect(applyStepResults(later, scope)).toEqual({
      ...later,
      command: ['echo', 'a', 'b'],
      args: ['foo', 'b', 'ar.com'],
      env: { W: 'w=foo', KEEP: '$(params.x)' },
      workingDir: '/workspace/foo',
    });
    expect(applyStepResults(step('s', { script: 'echo "$(steps.inline.results.word)"' }), scope).script).toBe(
      'echo "foo"',
    );
    const untouched = step('plain', { script: 'echo $(steps.inline.results.word)' });
    expect(applyStepResults(untouched, {})).toBe(untouched);
  });

  it('publishes task results from step results, as JSON for arrays and objects, leaving out unwritten ones', () => {
    const scope = stepResultScope([producer], written);
    const values = [
      { name: 'w', value: '$(steps.inline.results.word)' },
      { name: 'l', value: '$(steps.inline.results.list[*])' },
      { name: 'o', value: '$(steps.inline.results.img)' },
      { name: 'missing', value: '$(steps.inline.results.nope)' },
    ];
    expect(taskResultsFromSteps(values, scope)).toEqual({
      w: 'foo',
      l: '["a","b"]',
      o: '{"url":"ar.com","digest":"sha"}',
    });
  });

  it.each([
    [
      'an unknown step',
      [producer, step('b', { args: ['$(steps.nope.results.word)'] })],
      '$(steps.nope.results.word): there is no step "nope"',
    ],
    [
      'an undeclared result',
      [producer, step('b', { env: { X: '$(steps.inline.results.other)' } })],
      '$(steps.inline.results.other): step "inline" declares no result "other"',
    ],
    [
      'its own result',
      [step('self', { results: [{ name: 'r', type: 'string' }], script: 'echo $(steps.self.results.r)' })],
      '$(steps.self.results.r): step "self" does not run before it',
    ],
    [
      'a later step',
      [step('a', { args: ['$(steps.inline.results.word)'] }), producer],
      '$(steps.inline.results.word): step "inline" does not run before it',
    ],
  ])('refuses a reference to %s', (_label, steps, message) => {
    expect(checkStepResultReferences(steps, [], 'build').map((e) => e.message)).toEqual([message]);
  });

  it('checks task result values against every step', () => {
    expect(
      checkStepResultReferences(
        [producer],
        [{ name: 'w', value: '$(steps.inline.results.word)' }, { name: 'plain' }],
        'build',
      ),
    ).toEqual([]);
    expect(
      checkStepResultReferences([producer], [{ name: 'x', value: '$(steps.inline.results.zzz)' }], 'build')[0],
    ).toMatchObject({
      reason: 'TaskRunValidationFailed',
      path: 'spec.results[0].value',
    });
  });
});

describe('resolveTaskRun with step results', () => {
  const action = ZStepActionSpec.parse({
    image: 'alpine',
    params: [{ name: 'word' }, { name: 'list', type: 'array' }],
    results: [{ name: 'loud' }],
    args: ['$(params.list[*])'],
    script: 'echo $(params.word) > $(step.results.loud.path)',
  });
  const stepActions = (n: string) => (n === 'shout' ? action : undefined);

  it('points $(step.results.r.path) of inline steps at their own folder and passes results to a later ref step', () => {
    const spec = ZTaskSpec.parse({
      results: [{ name: 'loud', value: '$(steps.second.results.loud)' }, { name: 'plain' }],
      steps: [
        {
          name: 'first',
          image: 'alpine',
          results: [{ name: 'w' }, { name: 'l', type: 'array' }],
          script: 'echo -n hi > $(step.results.w.path); echo -n \'["x"]\' > $(step.results.l.path)',
        },
        {
          name: 'second',
          ref: { name: 'shout' },
          params: [
            { name: 'word', value: '$(steps.first.results.w)' },
            { name: 'list', value: '$(steps.first.results.l[*])' },
          ],
        },
      ],
    });
    const resolved = resolveTaskRun({ spec, params: {}, context, stepActions });
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.errors));
    const [first, second] = resolved.plan.steps;
    expect(first.script).toBe(
      'echo -n hi > /tekton/steps/step-first/results/w; echo -n \'["x"]\' > /tekton/steps/step-first/results/l',
    );
    expect(second).toMatchObject({
      script: 'echo $(steps.first.results.w) > /tekton/steps/step-second/results/loud',
      args: ['$(steps.first.results.l[*])'],
      results: [{ name: 'loud', type: 'string' }],
    });
    expect(resolved.plan.resultsFromSteps).toEqual([{ name: 'loud', value: '$(steps.second.results.loud)' }]);
    const scope = stepResultScope(resolved.plan.steps, { first: { w: 'hi', l: '["x","y"]' } });
    expect(applyStepResults(second, scope)).toMatchObject({
      script: 'echo hi > /tekton/steps/step-second/results/loud',
      args: ['x', 'y'],
    });
  });

  it('refuses a task result value naming a result no step declares, and results on a ref step', () => {
    const spec = ZTaskSpec.parse({
      results: [{ name: 'r', value: '$(steps.s.results.nope)' }],
      steps: [
        {
          name: 's',
          ref: { name: 'shout' },
          params: [
            { name: 'word', value: 'a' },
            { name: 'list', value: ['b'] },
          ],
        },
      ],
    });
    const resolved = resolveTaskRun({ spec, params: {}, context, stepActions });
    expect(!resolved.ok && resolved.errors.map((e) => [e.path, e.message])).toEqual([
      ['spec.results[0].value', '$(steps.s.results.nope): step "s" declares no result "nope"'],
    ]);
    expect(ZTaskSpec.safeParse({ steps: [{ ref: { name: 'shout' }, results: [{ name: 'x' }] }] }).success).toBe(false);
  });
});
