import type { z } from 'zod';
import type { TTaskSpec } from './task-schemas';
import { findReferences } from './variables';

/** The step fields Tekton checks for unknown `$(params.…)` (task_validation.go validateStepVariables). */
function stepFields(spec: TTaskSpec): { path: (string | number)[]; text: string }[] {
  return spec.steps.flatMap((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    const one = (field: 'name' | 'image' | 'workingDir' | 'script' | 'onError') =>
      step[field] === undefined ? [] : [{ path: at(field), text: step[field] }];
    return [
      ...one('name'),
      ...one('image'),
      ...one('workingDir'),
      ...one('script'),
      ...one('onError'),
      ...(step.command ?? []).map((text, j) => ({ path: at('command', j), text })),
      ...(step.args ?? []).map((text, j) => ({ path: at('args', j), text })),
      ...(step.env ?? []).flatMap((e, j) =>
        e.value === undefined ? [] : [{ path: at('env', j, 'value'), text: e.value }],
      ),
    ];
  });
}

/**
 * A Task applied on its own gets no propagated params (only an embedded taskSpec does): every `$(params.x)` its
 * steps use must be declared, and `$(params.obj.key)` must name a property of `obj` (Task.Validate upstream).
 */
export function undeclaredTaskParams(spec: TTaskSpec): { path: (string | number)[]; message: string }[] {
  const declared = new Map((spec.params ?? []).map((p) => [p.name, p]));
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const { path, text } of stepFields(spec)) {
    for (const ref of findReferences(text)) {
      if (ref.segments[0] !== 'params' || ref.segments.length < 2) continue;
      const name = ref.segments[1];
      const param = declared.get(name) ?? declared.get(ref.segments.slice(1).join('.'));
      const key = ref.segments[2];
      const unknownKey = param?.properties !== undefined && key !== undefined && !(key in param.properties);
      if (param && !unknownKey) continue;
      issues.push({
        path,
        message: unknownKey
          ? `non-existent variable in ${JSON.stringify(text)}: object param "${name}" has no property "${key}"; add it to the param's properties`
          : `non-existent variable in ${JSON.stringify(text)}: the Task declares no param "${name}" (a Task applied on its own gets no propagated params, only an embedded taskSpec does); declare it in spec.params`,
      });
    }
  }
  return issues;
}

/** For a superRefine on the Task document. */
export function refuseUndeclaredTaskParams(doc: { spec: TTaskSpec }, ctx: z.RefinementCtx): void {
  for (const issue of undeclaredTaskParams(doc.spec))
    ctx.addIssue({ code: 'custom', path: ['spec', ...issue.path], message: issue.message });
}
