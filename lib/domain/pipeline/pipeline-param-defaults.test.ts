import { describe, expect, it } from 'vitest';
import { ZParamSpec, type TParamSpec } from './param-schemas';
import { resolvePipelineParams, withTaskRefNamesResolved } from './pipeline-param-defaults';
import { ZPipelineSpec } from './pipeline-schemas';

const specs = (list: unknown[]): TParamSpec[] => list.map((p) => ZParamSpec.parse(p));

describe("pipeline param defaults that use other params (Tekton's pipelinerun ApplyParameters)", () => {
  it("resolves upstream's image build example in any declaration order", () => {
    const declared = specs([
      { name: 'image-name', default: '$(params.registry)/$(params.repo):$(params.tag)' },
      { name: 'build-args', type: 'array', default: ['IMAGE=$(params.image-name)', 'VERSION=$(params.tag)'] },
      { name: 'labels', type: 'object', properties: { v: {} }, default: { v: '$(params.tag)' } },
      { name: 'registry', default: 'gcr.io/my-project' },
      { name: 'tag', default: 'v1.0' },
      { name: 'repo' },
    ]);
    const { values, problems } = resolvePipelineParams(declared, { repo: 'my-app' });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      repo: 'my-app',
      registry: 'gcr.io/my-project',
      tag: 'v1.0',
      'image-name': 'gcr.io/my-project/my-app:v1.0',
      'build-args': ['IMAGE=gcr.io/my-project/my-app:v1.0', 'VERSION=v1.0'],
      labels: { v: 'v1.0' },
    });
  });

  it("keeps the run's values as given, references included", () => {
    const declared = specs([{ name: 'a', default: 'x' }, { name: 'b', default: '$(params.a)-b' }, { name: 'c' }]);
    expect(resolvePipelineParams(declared, { a: 'run', c: '$(params.a)' }).values).toEqual({
      a: 'run',
      b: 'run-b',
      c: '$(params.a)',
    });
  });

  it('leaves other variables for later passes', () => {
    const declared = specs([
      { name: 'id', default: '$(context.pipelineRun.name)-$(params.n)' },
      { name: 'n', default: '1' },
    ]);
    expect(resolvePipelineParams(declared, {}).values.id).toBe('$(context.pipelineRun.name)-1');
  });

  it.each([
    [
      'a cycle',
      [
        { name: 'a', default: '$(params.b)' },
        { name: 'b', default: '$(params.a)' },
      ],
      'parameter resolution failed: circular dependency detected in param "a"',
    ],
    [
      'an unknown param',
      [
        { name: 'a', default: 'x' },
        { name: 'b', default: '$(params.nope)' },
      ],
      'parameter resolution failed: param "b" references undefined param "nope"',
    ],
    [
      'a chain deeper than 10',
      Array.from({ length: 13 }, (_, i) => ({ name: `p${i}`, default: i === 12 ? 'end' : `$(params.p${i + 1})` })),
      'parameter resolution failed: maximum recursion depth (10) exceeded for param "p11"',
    ],
  ])('%s is a problem', (_name, list, message) => {
    expect(resolvePipelineParams(specs(list), {}).problems.map((p) => p.message)).toEqual([message]);
  });
});

describe('withTaskRefNamesResolved', () => {
  it('substitutes run params and defaults into taskRef names, leaving other tasks as they are', () => {
    const spec = ZPipelineSpec.parse({
      params: [
        { name: 'lang', default: 'en' },
        { name: 'kind', default: 'greet' },
      ],
      tasks: [
        { name: 'a', taskRef: { name: '$(params.kind)-$(params.lang)' } },
        { name: 'b', taskRef: { name: 'plain' } },
      ],
      finally: [{ name: 'f', taskRef: { name: 'report-$(params.lang)' } }],
    });
    const resolved = withTaskRefNamesResolved(spec, [{ name: 'lang', value: 'fr' }]);
    expect([...resolved.tasks, ...resolved.finally!].map((t) => t.taskRef?.name)).toEqual([
      'greet-fr',
      'plain',
      'report-fr',
    ]);
    expect(resolved.tasks[1]).toBe(spec.tasks[1]);
  });
});
