import { describe, expect, it } from 'vitest';
import { parseDocuments } from './parse-documents';
import { ZTaskSpec } from './task-schemas';
import { undeclaredTaskParams } from './task-param-usage';

const spec = (over: Record<string, unknown>) => ZTaskSpec.parse(over);

describe('undeclaredTaskParams (Tekton Task.Validate: ValidateUsageOfDeclaredParameters)', () => {
  it.each<[string, Record<string, unknown>, (string | number)[][]]>([
    ['declared string param', { params: [{ name: 'x' }], steps: [{ image: 'a', script: 'echo $(params.x)' }] }, []],
    ['undeclared, in script', { steps: [{ image: 'a', script: 'echo $(params.nope)' }] }, [['steps', 0, 'script']]],
    [
      'undeclared, in args and env',
      { steps: [{ image: 'a', command: ['echo'], args: ['$(params.a)'], env: [{ name: 'E', value: '$(params.b)' }] }] },
      [
        ['steps', 0, 'args', 0],
        ['steps', 0, 'env', 0, 'value'],
      ],
    ],
    [
      'undeclared, in image and workingDir',
      { steps: [{ image: '$(params.img)', workingDir: '$(params.dir)', command: ['ls'] }] },
      [
        ['steps', 0, 'image'],
        ['steps', 0, 'workingDir'],
      ],
    ],
    [
      'a dotted name',
      { params: [{ name: 'a.b' }], steps: [{ image: 'a', script: "echo $(params.a.b) $(params['a.b'])" }] },
      [],
    ],
    [
      'an object key it declares',
      {
        params: [{ name: 'o', type: 'object', properties: { k: {} } }],
        steps: [{ image: 'a', script: 'echo $(params.o.k)' }],
      },
      [],
    ],
    [
      'an object key it does not declare',
      {
        params: [{ name: 'o', type: 'object', properties: { k: {} } }],
        steps: [{ image: 'a', script: 'echo $(params.o.z)' }],
      },
      [['steps', 0, 'script']],
    ],
    [
      'array, whole and indexed',
      {
        params: [{ name: 'l', type: 'array' }],
        steps: [{ image: 'a', command: ['echo'], args: ['$(params.l[*])', '$(params.l[0])'] }],
      },
      [],
    ],
    [
      'other variables are not params',
      { steps: [{ image: 'a', script: 'echo $(context.taskRun.name) $(workspaces.w.path)' }] },
      [],
    ],
  ])('%s', (_name, taskSpec, paths) => {
    expect(undeclaredTaskParams(spec(taskSpec)).map((i) => i.path)).toEqual(paths);
  });
});

describe('a Task document', () => {
  it('is refused when it uses a param it does not declare, with the path and the reason', () => {
    const parsed = parseDocuments(
      'apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t}\nspec:\n  steps: [{image: a, script: "echo $(params.nope)"}]\n',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors[0]).toMatchObject({
      path: 'spec.steps[0].script',
      message: expect.stringContaining('declares no param "nope"'),
    });
  });

  it("an embedded taskSpec (of a TaskRun) may use the run's params undeclared", () => {
    const parsed = parseDocuments(
      'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata: {name: r}\nspec:\n  params: [{name: nope, value: v}]\n  taskSpec:\n    steps: [{image: a, script: "echo $(params.nope)"}]\n',
    );
    expect(parsed.ok).toBe(true);
  });
});
