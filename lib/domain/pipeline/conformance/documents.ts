/**
 * Minimal documents for the field-conformance tables: each builder wraps the fields under test in the
 * smallest valid document around them, so a case names only what it tests.
 */

type Fields = Record<string, unknown>;

export const STEP = { name: 'build', image: 'alpine', script: 'echo hi' };

const meta = (name: string) => ({ name });

export const task = (spec: Fields) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: meta('t'),
  spec: { steps: [STEP], ...spec },
});

/** A Task whose one step has these fields besides a name, image and script. */
export const taskWithStep = (step: Fields, spec: Fields = {}) => task({ ...spec, steps: [{ ...STEP, ...step }] });

/** A Task whose one step has only these fields (for fields that exclude script or image). */
export const taskWithBareStep = (step: Fields, spec: Fields = {}) => task({ ...spec, steps: [step] });

export const stepAction = (spec: Fields, apiVersion = 'tekton.dev/v1beta1') => ({
  apiVersion,
  kind: 'StepAction',
  metadata: meta('sa'),
  spec: { image: 'alpine', ...spec },
});

export const pipeline = (spec: Fields) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'Pipeline',
  metadata: meta('p'),
  spec: { tasks: [{ name: 'a', taskRef: { name: 't' } }], ...spec },
});

/** A Pipeline whose one task refers to Task "t" and has these fields. */
export const pipelineTask = (fields: Fields, spec: Fields = {}) =>
  pipeline({ ...spec, tasks: [{ name: 'a', taskRef: { name: 't' }, ...fields }] });

/** A Pipeline whose one task embeds a Task spec with these fields (one step unless given). */
export const embeddedTask = (fields: Fields, spec: Fields = {}) =>
  pipeline({ ...spec, tasks: [{ name: 'a', taskSpec: { steps: [STEP], ...fields } }] });

export const pipelineRun = (spec: Fields) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: meta('pr'),
  spec: { pipelineRef: { name: 'p' }, ...spec },
});

export const taskRun = (spec: Fields) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: meta('tr'),
  spec: { taskRef: { name: 't' }, ...spec },
});

/** A TaskRun binding workspace "w" with these fields. */
export const binding = (fields: Fields) => taskRun({ workspaces: [{ name: 'w', ...fields }] });
