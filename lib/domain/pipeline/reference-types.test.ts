import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZPipelineSpec } from './pipeline-schemas';
import { inferValueType, type ReferenceTypeContext } from './reference-types';
import { ZTaskSpec, type TTaskSpec } from './task-schemas';
import { validatePipeline } from './validate-pipeline';

const tasks: Record<string, TTaskSpec> = {
  takes: ZTaskSpec.parse({
    params: [{ name: 'str' }, { name: 'arr', type: 'array' }, { name: 'obj', type: 'object', properties: { a: {} } }],
    steps: [{ image: 'a', script: 'true' }],
  }),
  make: ZTaskSpec.parse({
    results: [{ name: 's' }, { name: 'list', type: 'array' }, { name: 'o', type: 'object', properties: { a: {} } }],
    steps: [{ image: 'a', script: 'true' }],
  }),
};

/** A pipeline whose task `use` passes `value` to the Task param `param`; `make` runs once, `fan` over a matrix. */
function pipelineWith(param: string, value: string) {
  return ZPipelineSpec.parse(
    parse(`
params:
  - {name: pstr}
  - {name: parr, type: array}
  - {name: pobj, type: object, properties: {a: {}}}
tasks:
  - {name: make, taskRef: {name: make}}
  - name: fan
    taskRef: {name: make}
    matrix: {params: [{name: x, value: [a, b]}]}
  - name: use
    taskRef: {name: takes}
    params: [{name: ${param}, value: ${JSON.stringify(value)}}]
`),
  );
}

/**
 * Whole values passed on (Tekton's ParamValue.applyOrCorrect, and wrongTypeParamsNames in the TaskRun reconciler):
 * [Task param, value given, the reason validation gives or '' when accepted].
 */
const cases: [string, string, string][] = [
  ['arr', '$(params.parr[*])', ''],
  // Tekton refuses a whole array without [*] at apply (validate-param-usage.ts).
  ['arr', '$(params.parr)', 'PipelineValidationFailed'],
  ['obj', '$(params.pobj[*])', ''],
  ['str', '$(params.pobj.a)', ''],
  ['str', '$(params.parr[0])', ''],
  ['arr', '$(params.pstr)', 'ParameterTypeMismatch'],
  ['str', '$(params.parr[*])', 'ParameterTypeMismatch'],
  ['obj', '$(params.parr[*])', 'ParameterTypeMismatch'],
  ['arr', 'a-$(params.pstr)', 'ParameterTypeMismatch'],
  ['arr', '$(tasks.make.results.list[*])', ''],
  ['arr', '$(tasks.make.results.list)', ''],
  ['obj', '$(tasks.make.results.o[*])', ''],
  ['obj', '$(tasks.make.results.o)', ''],
  ['str', '$(tasks.make.results.o.a)', ''],
  ['str', '$(tasks.make.results.list[1])', ''],
  ['str', '$(tasks.make.results.s)', ''],
  ['arr', '$(tasks.make.results.s)', 'ParameterTypeMismatch'],
  ['obj', '$(tasks.make.results.list[*])', 'ParameterTypeMismatch'],
  ['str', '$(tasks.make.results.list[*])', 'ParameterTypeMismatch'],
  // A string result of a matrixed task is the array of its TaskRuns' values.
  ['arr', '$(tasks.fan.results.s[*])', ''],
  ['str', '$(tasks.fan.results.s[*])', 'ParameterTypeMismatch'],
];

describe('type inference of a value passed to a Task param', () => {
  it.each(cases)('%s ← %s: %s', (param, value, reason) => {
    const others = { str: 'x', arr: ['x'], obj: { a: 'x' } } as Record<string, unknown>;
    delete others[param];
    const spec = pipelineWith(param, value);
    spec.tasks[2].params!.push(...Object.entries(others).map(([name, v]) => ({ name, value: v as string })));
    const errors = validatePipeline(spec, { resolveTask: (n) => tasks[n] });
    expect(errors.map((e) => e.reason)).toEqual(reason ? [reason] : []);
  });

  it('leaves to the run what only the run knows: a result of an unresolved Task, an undeclared param', () => {
    const ctx: ReferenceTypeContext = {
      pipelineParams: new Map(),
      tasks: new Map([
        ['remote', { task: ZPipelineSpec.parse(parse('tasks: [{name: remote, taskRef: {name: r}}]')).tasks[0] }],
      ]),
    };
    expect(inferValueType('$(tasks.remote.results.x[*])', ctx)).toBe('unknown');
    expect(inferValueType('$(params.nope[*])', ctx)).toBe('unknown');
    expect(inferValueType('$(context.pipelineRun.name)', ctx)).toBe('string');
    expect(inferValueType(['a'], ctx)).toBe('array');
    expect(inferValueType({ a: 'b' }, ctx)).toBe('object');
  });
});
