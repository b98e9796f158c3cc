import type { z } from 'zod';
import { MAX_NESTING_DEPTH, parseYamlDocuments, valueTooDeepAt } from '../http/bounded-parse';
import { hintForIssue } from './issue-hints';
import { RESOURCE_KINDS, RESOURCE_SCHEMAS, type TResource, type TResourceKind } from './spec-schemas';

export interface DocumentError {
  /** Zero-based position of the document in the file (or in the JSON array). */
  doc: number;
  kind?: string;
  name?: string;
  /** Dotted path inside the document, e.g. `spec.tasks[2].runAfter[0]`; empty for the whole document. */
  path: string;
  message: string;
  /** One sentence saying how to fix it. */
  hint: string;
  line?: number;
  column?: number;
}

export type ParseDocumentsResult = { ok: true; resources: TResource[] } | { ok: false; errors: DocumentError[] };

const API_VERSIONS: Record<TResourceKind, string[]> = {
  Task: ['tekton.dev/v1'],
  Pipeline: ['tekton.dev/v1'],
  PipelineRun: ['tekton.dev/v1'],
  TaskRun: ['tekton.dev/v1'],
  StepAction: ['tekton.dev/v1beta1', 'tekton.dev/v1alpha1', 'tekton.dev/v1'],
  ConfigMap: ['v1'],
  Secret: ['v1'],
  PersistentVolumeClaim: ['v1'],
  Trigger: ['keelson.dev/v1alpha1'],
};

/**
 * Parses a multi-document YAML string, or JSON already decoded (one object, an array, or a
 * Kubernetes `List`), into typed resources. Either every document is valid or nothing is returned.
 */
export function parseDocuments(input: string | unknown): ParseDocumentsResult {
  const errors: DocumentError[] = [];
  const values = typeof input === 'string' ? yamlValues(input, errors) : jsonValues(input, errors);
  const resources: TResource[] = [];
  for (const { doc, value } of values) {
    const resource = parseResource(doc, value, errors);
    if (resource) resources.push(resource);
  }
  if (values.length === 0 && errors.length === 0) {
    errors.push({
      doc: 0,
      path: '',
      message: 'the input contains no documents',
      hint: 'Provide at least one Task, Pipeline, PipelineRun or TaskRun document.',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, resources };
}

function yamlValues(text: string, errors: DocumentError[]): { doc: number; value: unknown }[] {
  const parsed = parseYamlDocuments(text);
  for (const err of parsed.errors) {
    errors.push({
      ...err,
      hint: err.path
        ? 'Flatten the structure: no pipeline document needs this much nesting.'
        : 'Check the indentation and quoting around that line; values containing ": " or starting with "$(" may need quotes. Anchors and aliases may be used only sparingly.',
    });
  }
  return parsed.values;
}

function jsonValues(input: unknown, errors: DocumentError[]): { doc: number; value: unknown }[] {
  const list = Array.isArray(input)
    ? input
    : isRecord(input) && input.kind === 'List' && Array.isArray(input.items)
      ? input.items
      : [input];
  return list.flatMap((value, doc) => {
    const deep = valueTooDeepAt(value);
    if (deep === undefined) return [{ doc, value }];
    errors.push({
      doc,
      path: deep,
      message: `nesting deeper than ${MAX_NESTING_DEPTH} levels of objects or arrays`,
      hint: 'Flatten the structure: no pipeline document needs this much nesting.',
    });
    return [];
  });
}

function parseResource(doc: number, value: unknown, errors: DocumentError[]): TResource | undefined {
  if (!isRecord(value)) {
    errors.push({
      doc,
      path: '',
      message: 'the document is not a mapping',
      hint: 'Each document must be a Kubernetes-style object with apiVersion, kind, metadata and spec.',
    });
    return undefined;
  }
  const kind = value.kind;
  const name = isRecord(value.metadata) && typeof value.metadata.name === 'string' ? value.metadata.name : undefined;
  const base = { doc, name, kind: typeof kind === 'string' ? kind : undefined };
  if (typeof kind !== 'string') {
    errors.push({
      ...base,
      path: 'kind',
      message: 'kind is required',
      hint: `Set kind to one of ${RESOURCE_KINDS.join(', ')}.`,
    });
    return undefined;
  }
  const resourceKind = RESOURCE_KINDS.find((k) => k === kind);
  if (!resourceKind) {
    errors.push({
      ...base,
      path: 'kind',
      message: `kind "${kind}" is not accepted; only ${RESOURCE_KINDS.join(', ')} are accepted`,
      hint: `Move the ${kind} into your deployment manifests (an Application), and keep only pipeline documents in this file.`,
    });
    return undefined;
  }
  const expected = API_VERSIONS[resourceKind];
  if (!expected.includes(String(value.apiVersion))) {
    errors.push({
      ...base,
      path: 'apiVersion',
      message: `apiVersion "${String(value.apiVersion ?? '')}" is not supported for ${kind}; expected ${expected.join(' or ')}`,
      hint: `Set apiVersion: ${expected[0]}.`,
    });
    return undefined;
  }
  const parsed = (RESOURCE_SCHEMAS[resourceKind] as z.ZodType<TResource>).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const { message, hint } = hintForIssue(issue);
    errors.push({ ...base, path: formatPath(issue.path), message, hint });
  }
  return undefined;
}

/** `['spec', 'tasks', 2, 'runAfter', 0]` → `spec.tasks[2].runAfter[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
