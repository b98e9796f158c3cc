import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../parse-documents';
import type { FieldCase, GoFields } from './cases';
import { binding, embeddedTask, pipelineRun, pipelineTask, stepAction, task, taskRun, taskWithStep } from './documents';
import { bindingCases, bindingGoFields } from './binding.fields';
import { pipelineTaskCases, pipelineTaskGoFields } from './pipeline-task.fields';
import { pipelineCases, pipelineGoFields } from './pipeline.fields';
import { runCases, runGoFields } from './run.fields';
import { sidecarStepActionCases, sidecarStepActionGoFields } from './sidecar-stepaction.fields';
import { stepCases, stepGoFields } from './step.fields';
import { taskCases, taskGoFields } from './task.fields';

const cases: FieldCase[] = [
  ...taskCases,
  ...stepCases,
  ...sidecarStepActionCases,
  ...pipelineCases,
  ...pipelineTaskCases,
  ...runCases,
  ...bindingCases,
];
const goFields: GoFields = {
  ...taskGoFields,
  ...stepGoFields,
  ...sidecarStepActionGoFields,
  ...pipelineGoFields,
  ...pipelineTaskGoFields,
  ...runGoFields,
  ...bindingGoFields,
};

type Issue = { path: string; message: string };
const issuesOf = (doc: unknown): Issue[] => {
  const result = parseDocuments(doc);
  return result.ok ? [] : result.errors.map((e) => ({ path: e.path, message: e.message }));
};
const label = (c: FieldCase) => `${c.type}.${c.field}${c.title ? ` (${c.title})` : ''}`;

describe('every field of upstream Tekton’s Go types', () => {
  it.each(cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const issues = issuesOf(c.doc);
    if (c.expect === 'accepted') {
      expect(issues).toEqual([]);
    } else if (c.expect === 'known') {
      expect(issues.filter((i) => i.message.includes(`Unrecognized key: "${c.field}"`))).toEqual([]);
    } else {
      const { path, message } = c.expect.refused;
      const at = issues.filter((i) => i.path === path);
      expect(at, JSON.stringify(issues)).not.toEqual([]);
      expect(at.map((i) => i.message).join('\n')).toMatch(message);
    }
  });

  it.each(Object.entries(goFields))('%s: each of its fields has a case', (type, fields) => {
    const covered = new Set(cases.filter((c) => c.type === type).map((c) => c.field));
    expect(fields.filter((f) => !covered.has(f))).toEqual([]);
  });

  it('no case names a field its Go type does not have, unless its title says so', () => {
    const stray = cases.filter((c) => !goFields[c.type]?.includes(c.field) && !c.title?.startsWith('not a field of'));
    expect(stray.map(label)).toEqual([]);
  });
});

/** Keys upstream does not know stay refused, at the object that holds them (upstream: json: unknown field). */
const unknownKeys: [string, unknown, string][] = [
  ['a Task spec', task({ bogus: 1 }), 'spec'],
  ['a step', taskWithStep({ bogus: 1 }), 'spec.steps[0]'],
  [
    'a step workspace',
    taskWithStep({ workspaces: [{ name: 'w', bogus: 1 }] }, { workspaces: [{ name: 'w' }] }),
    'spec.steps[0].workspaces[0]',
  ],
  ['a stepTemplate', task({ stepTemplate: { bogus: 1 } }), 'spec.stepTemplate'],
  ['a StepAction spec', stepAction({ bogus: 1 }, 'tekton.dev/v1alpha1'), 'spec'],
  ['a pipeline task', pipelineTask({ bogus: 1 }), 'spec.tasks[0]'],
  ['an embedded taskSpec', embeddedTask({ bogus: 1 }), 'spec.tasks[0].taskSpec'],
  ['embedded metadata', embeddedTask({ metadata: { name: 'x' } }), 'spec.tasks[0].taskSpec.metadata'],
  [
    'a when expression',
    pipelineTask({ when: [{ input: 'a', operator: 'in', values: ['a'], bogus: 1 }] }),
    'spec.tasks[0].when[0]',
  ],
  ['a taskRef', pipelineTask({ taskRef: { name: 't', bogus: 1 } }), 'spec.tasks[0].taskRef'],
  ['a PipelineRun spec', pipelineRun({ bogus: 1 }), 'spec'],
  [
    'a taskRunSpecs entry',
    pipelineRun({ taskRunSpecs: [{ pipelineTaskName: 'a', bogus: 1 }] }),
    'spec.taskRunSpecs[0]',
  ],
  ['a TaskRun spec', taskRun({ bogus: 1 }), 'spec'],
  ['TaskRun debug', taskRun({ debug: { bogus: 1 } }), 'spec.debug'],
  ['a workspace binding', binding({ emptyDir: {}, bogus: 1 }), 'spec.workspaces[0]'],
  [
    'a projected binding',
    binding({ projected: { sources: [{ secret: { name: 's' } }], bogus: 1 } }),
    'spec.workspaces[0].projected',
  ],
  [
    'a projected source',
    binding({ projected: { sources: [{ secret: { name: 's', bogus: 1 } }] } }),
    'spec.workspaces[0].projected.sources[0].secret',
  ],
  ['a csi binding', binding({ csi: { driver: 'd', bogus: 1 } }), 'spec.workspaces[0].csi'],
];

describe('unknown keys are still refused with their path', () => {
  it.each(unknownKeys)('in %s', (_name, doc, path) => {
    const issues = issuesOf(doc);
    expect(
      issues.filter((i) => i.path === path).map((i) => i.message),
      JSON.stringify(issues),
    ).toContainEqual(expect.stringMatching(/Unrecognized key: "(bogus|name)"/));
  });
});
