import { DEFAULT_PROJECT } from '@/lib/domain/gitops/projects';
import { parseYamlDocuments } from '@/lib/domain/http/bounded-parse';
import type { FieldIssue } from '@/lib/errors';

/**
 * Tekton's remote resolution, done when documents are applied: a `taskRef` or `pipelineRef` with a
 * `resolver` is replaced by the spec it resolves to (`taskSpec` / `pipelineSpec`), so everything
 * after this (validation, storage, runs) sees an ordinary inline spec. A Pipeline stored this way
 * keeps the Task as it was when applied; apply it again to pick up a newer one.
 */
export interface RefParam {
  name: string;
  value: unknown;
}

export interface RemoteRef {
  resolver: string;
  params: RefParam[];
}

/** Where a ref is resolved from: the project (metadata.namespace) of the document holding it. */
export interface RefContext {
  project: string;
}

/** Fetches the spec a remote ref points at; throws an Error whose message says what went wrong. */
export type RefFetcher = (
  kind: 'Task' | 'Pipeline',
  ref: RemoteRef,
  at: RefContext,
) => Promise<Record<string, unknown>>;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRemote = (ref: unknown): ref is Json & { resolver: string } =>
  isRecord(ref) && typeof ref.resolver === 'string';

/** The project a document not yet parsed names (metadata.namespace, absent → default), as projectOfDocument reads it. */
export function rawProject(value: unknown): string {
  const meta = isRecord(value) && isRecord(value.metadata) ? value.metadata : {};
  return typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : DEFAULT_PROJECT;
}

/** Does this input name a resolver anywhere? (Cheap test before any work.) */
export function mentionsResolver(input: unknown): boolean {
  return (typeof input === 'string' ? input : JSON.stringify(input ?? null)).includes('resolver');
}

/** The documents of an apply body as plain values, or undefined when the YAML is malformed (the parser reports it). */
export function documentValues(input: unknown): unknown[] | undefined {
  if (typeof input !== 'string')
    return Array.isArray(input)
      ? input
      : isRecord(input) && input.kind === 'List' && Array.isArray(input.items)
        ? input.items
        : [input];
  const parsed = parseYamlDocuments(input);
  return parsed.errors.length > 0 ? undefined : parsed.values.map((v) => v.value);
}

/** Resolves every remote ref in the documents, in place on copies; issues name each ref that failed. */
export async function resolveRemoteRefs(
  values: readonly unknown[],
  fetch: RefFetcher,
): Promise<{ values: unknown[]; issues: FieldIssue[] }> {
  const issues: FieldIssue[] = [];
  const out = structuredClone(values) as unknown[];
  let context: RefContext = { project: DEFAULT_PROJECT };
  const resolve = async (
    kind: 'Task' | 'Pipeline',
    ref: Json & { resolver: string },
    path: string,
  ): Promise<Json | undefined> => {
    const params = Array.isArray(ref.params)
      ? ref.params.filter(isRecord).map((p) => ({ name: String(p.name), value: p.value }))
      : [];
    try {
      return await fetch(kind, { resolver: ref.resolver, params }, context);
    } catch (err) {
      issues.push({
        path,
        message: `could not resolve the ${kind} (resolver ${ref.resolver}): ${err instanceof Error ? err.message : String(err)}`,
      });
      return undefined;
    }
  };
  const resolveTasks = async (spec: unknown, path: string) => {
    if (!isRecord(spec)) return;
    for (const section of ['tasks', 'finally'] as const) {
      const tasks = spec[section];
      if (!Array.isArray(tasks)) continue;
      for (const [i, task] of tasks.entries()) {
        if (!isRecord(task) || !isRemote(task.taskRef)) continue;
        const taskSpec = await resolve('Task', task.taskRef, `${path}.${section}[${i}].taskRef`);
        if (!taskSpec) continue;
        delete task.taskRef;
        task.taskSpec = taskSpec;
      }
    }
  };
  for (const [doc, value] of out.entries()) {
    if (!isRecord(value) || !isRecord(value.spec)) continue;
    context = { project: rawProject(value) };
    const spec = value.spec;
    const at = `documents[${doc}].spec`;
    if (value.kind === 'Pipeline') await resolveTasks(spec, at);
    if (value.kind === 'PipelineRun') {
      if (isRemote(spec.pipelineRef)) {
        const pipelineSpec = await resolve('Pipeline', spec.pipelineRef, `${at}.pipelineRef`);
        if (pipelineSpec) {
          delete spec.pipelineRef;
          spec.pipelineSpec = pipelineSpec;
        }
      }
      await resolveTasks(spec.pipelineSpec, `${at}.pipelineSpec`);
    }
    if (value.kind === 'TaskRun' && isRemote(spec.taskRef)) {
      const taskSpec = await resolve('Task', spec.taskRef, `${at}.taskRef`);
      if (taskSpec) {
        delete spec.taskRef;
        spec.taskSpec = taskSpec;
      }
    }
  }
  return { values: out, issues };
}

/** The value of a resolver param as a string, or an error naming it. */
export function stringParam(ref: RemoteRef, name: string, fallback?: string): string {
  const p = ref.params.find((x) => x.name === name);
  if (p === undefined) {
    if (fallback !== undefined) return fallback;
    throw new Error(`the param "${name}" is required`);
  }
  if (typeof p.value !== 'string' || p.value === '') throw new Error(`the param "${name}" must be a non-empty string`);
  return p.value;
}

/** Refuses params a resolver does not take (a typo would otherwise fetch something else). */
export function onlyParams(ref: RemoteRef, allowed: readonly string[]): void {
  const unknown = ref.params.map((p) => p.name).filter((n) => !allowed.includes(n));
  if (unknown.length > 0)
    throw new Error(
      `unsupported param${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; the ${ref.resolver} resolver takes ${allowed.join(', ')}`,
    );
}
