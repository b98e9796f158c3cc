import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ZPipelineSpec } from './pipeline-schemas';
import { validatePipeline } from './validate-pipeline';

const PARAMS = `
params:
  - {name: baz, type: array, default: [anarray, elements]}
  - {name: myObject, type: object, properties: {key1: {}, key2: {}}}
  - {name: str}
`;
const errorsOf = (task: string) =>
  validatePipeline(ZPipelineSpec.parse(parse(`${PARAMS}tasks: [{name: bar, taskRef: {name: bar-task}, ${task}}]`))).map(
    (e) => `${e.path}: ${e.message}`,
  );

/** Tekton's TestValidatePipelineParameterVariables cases, success and failure, in our words. */
describe('how a pipeline task may use array and object params', () => {
  it.each([
    ['a whole array as a whole value', 'params: [{name: a, value: "$(params.baz[*])"}]'],
    ['an array element in a string', 'params: [{name: a, value: "x-$(params.baz[1])"}]'],
    ['a whole array as a list element', 'params: [{name: a, value: [first, "$(params.baz[*])", last]}]'],
    ['a whole object as a whole value', 'params: [{name: a, value: "$(params.myObject[*])"}]'],
    ['object keys in a string', 'params: [{name: a, value: "$(params.myObject.key1) and $(params.myObject.key2)"}]'],
    [
      'object keys as list elements',
      'params: [{name: a, value: ["$(params.myObject.key1)", "$(params.myObject.key2)"]}]',
    ],
    ['object keys in an object value', 'params: [{name: a, value: {x: "$(params.myObject.key1)"}}]'],
    ['a whole array in when values', 'when: [{input: $(params.str), operator: in, values: ["$(params.baz[*])"]}]'],
    ['a whole array in a matrix list', 'matrix: {params: [{name: a, value: ["$(params.baz[*])"]}]}'],
  ])('valid: %s', (_name, task) => {
    expect(errorsOf(task)).toEqual([]);
  });

  it.each([
    [
      'an array param used as a string',
      'params: [{name: a, value: $(params.baz)}]',
      'params[0].value',
      'variable type invalid in "$(params.baz)"',
    ],
    [
      'a whole array inside a string',
      'params: [{name: a, value: "x $(params.baz[*])"}]',
      'params[0].value',
      'variable type invalid in "x $(params.baz[*])"',
    ],
    [
      'an array not isolated in a list',
      'params: [{name: a, value: [first, "value: $(params.baz)", last]}]',
      'params[0].value[1]',
      'variable is not properly isolated in "value: $(params.baz)"',
    ],
    [
      'a whole object inside a string',
      'params: [{name: a, value: "$(params.myObject[*]) and x"}]',
      'params[0].value',
      'variable type invalid in "$(params.myObject[*]) and x"',
    ],
    [
      'an object key it does not declare',
      'params: [{name: a, value: $(params.myObject.non-exist-key)}]',
      'params[0].value',
      'non-existent variable in "$(params.myObject.non-exist-key)"',
    ],
    [
      'a whole array as a when input',
      'when: [{input: "$(params.baz[*])", operator: in, values: [a]}]',
      'when[0].input',
      'variable type invalid in "$(params.baz[*])"',
    ],
    [
      'an array not isolated in when values',
      'when: [{input: a, operator: in, values: ["x-$(params.baz)"]}]',
      'when[0].values[0]',
      'variable is not properly isolated in "x-$(params.baz)"',
    ],
  ])('invalid: %s', (_name, task, path, message) => {
    expect(errorsOf(task)).toEqual([`spec.tasks[0].${path}: ${message}`]);
  });
});
