/**
 * `keelson apply -f` with Argo CD access documents: an `AppProject` (argoproj.io/v1alpha1) goes to applyProject
 * and a ConfigMap named `argocd-rbac-cm` to applyRbacConfig; every other document stays with the pipeline apply.
 */
import { parseRbacConfigMap } from '@/lib/domain/access/rbac-config';
import { ZAppProject } from '@/lib/domain/gitops/projects';
import { AppError, type FieldIssue } from '@/lib/errors';
import { issuePath } from '../gitops/applications/parse-input';
import type { Principal } from '../principal';
import { applyProject } from './apply-project';
import { applyRbacConfig } from './apply-rbac-config';
import type { Access } from './ports';
import type { ProjectDeps } from './project-deps';

export interface AccessDocument {
  /** The document's index in the applied file. */
  doc: number;
  value: unknown;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function isAccessDocument(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (value.kind === 'AppProject') return value.apiVersion === 'argoproj.io/v1alpha1';
  return value.kind === 'ConfigMap' && isRecord(value.metadata) && value.metadata.name === 'argocd-rbac-cm';
}

/**
 * The access documents of a file and the others (with their indices in the file), or undefined when it has
 * none (the pipeline apply then reads the input as it always did).
 */
export function splitAccessDocuments(
  values: readonly unknown[] | undefined,
): { access: AccessDocument[]; rest: AccessDocument[] } | undefined {
  if (!values?.some(isAccessDocument)) return undefined;
  const indexed = values.map((value, doc) => ({ doc, value }));
  return {
    access: indexed.filter((d) => isAccessDocument(d.value)),
    rest: indexed.filter((d) => !isAccessDocument(d.value)),
  };
}

function issuesOf(d: AccessDocument): FieldIssue[] {
  const at = (path: string) => `documents[${d.doc}]${path && !path.startsWith('(') ? `.${path}` : ''}`;
  if (isRecord(d.value) && d.value.kind === 'AppProject') {
    const parsed = ZAppProject.safeParse(d.value);
    return parsed.success ? [] : parsed.error.issues.map((i) => ({ path: at(issuePath(i.path)), message: i.message }));
  }
  const parsed = parseRbacConfigMap(d.value);
  return parsed.ok ? [] : parsed.issues.map((i) => ({ path: at(i.path), message: i.message }));
}

export interface AppliedAccessDocument {
  kind: 'AppProject' | 'ConfigMap';
  name: string;
  action: 'created' | 'configured' | 'unchanged';
}

/**
 * Validates every access document (400 naming `documents[i].<path>`, nothing stored), then applies each with
 * its use case, which authorizes it (projects create|update; accounts update for the RBAC ConfigMap).
 */
export async function applyAccessDocuments(
  deps: ProjectDeps,
  principal: Principal,
  docs: readonly AccessDocument[],
): Promise<{ applied: AppliedAccessDocument[]; warnings: FieldIssue[] }> {
  const issues = docs.flatMap(issuesOf);
  if (issues.length > 0)
    throw new AppError(
      'BAD_REQUEST',
      `${issues.length} problem(s) in the applied documents; nothing was stored. First: ${issues[0].path}: ${issues[0].message}`,
      { issues, hint: 'Fix every listed field and apply the file again.' },
    );
  // Every document is authorized before the first is applied, so a refusal leaves the file unapplied.
  for (const d of docs) {
    const name = isRecord(d.value) && isRecord(d.value.metadata) ? String(d.value.metadata.name) : '';
    if (isRecord(d.value) && d.value.kind === 'AppProject') {
      const exists = (await deps.accessStores.projects.get(name)) !== undefined;
      await deps.access.authorize(principal, 'projects', exists ? 'update' : 'create', name);
    } else await deps.access.authorize(principal, 'accounts', 'update', '*');
  }
  const applied: AppliedAccessDocument[] = [];
  const warnings: FieldIssue[] = [];
  for (const d of docs) {
    if (isRecord(d.value) && d.value.kind === 'AppProject') {
      const done = await applyProject(deps, principal, d.value, { mode: 'upsert' });
      applied.push({ kind: 'AppProject', name: done.project.metadata.name, action: done.action });
      warnings.push(...done.warnings.map((w) => ({ path: `documents[${d.doc}].${w.path}`, message: w.message })));
    } else {
      const done = await applyRbacConfig(deps, principal, d.value);
      applied.push({ kind: 'ConfigMap', name: 'argocd-rbac-cm', action: done.action });
    }
  }
  return { applied, warnings };
}

interface AppliedFile<L, R> {
  applied: (L | AppliedAccessDocument)[];
  runs: R[];
  warnings: FieldIssue[];
}

/** `documents[j]` of the rest (re-indexed from 0) as `documents[i]` of the file the user applied. */
function renumbered(err: unknown, rest: readonly AccessDocument[]): unknown {
  if (!(err instanceof AppError)) return err;
  const fix = (text: string) =>
    text.replace(/documents\[(\d+)\]/g, (m, j: string) => `documents[${rest[Number(j)]?.doc ?? j}]`);
  return new AppError(err.code, fix(err.message), {
    ...err.details,
    ...(err.details.issues ? { issues: err.details.issues.map((i) => ({ ...i, path: fix(i.path) })) } : {}),
  });
}

/**
 * A file mixing access documents with pipeline documents: the access documents first (a file may create the
 * project its pipelines name in metadata.namespace), then the rest through the pipeline apply. Each part is
 * validated and authorized before it is written, but the two parts are not one transaction.
 */
export async function applyWithAccessDocuments<L, R>(
  deps: Omit<ProjectDeps, 'accessStores'> & { accessStores?: ProjectDeps['accessStores'] },
  principal: Principal,
  split: { access: AccessDocument[]; rest: AccessDocument[] },
  /** Applies the other documents, asking `access` (it sees the projects just applied). */
  applyRest: (values: unknown[], access: Access) => Promise<{ applied: L[]; runs: R[]; warnings: FieldIssue[] }>,
): Promise<AppliedFile<L, R>> {
  const { accessStores } = deps;
  if (!accessStores)
    throw new AppError('BAD_REQUEST', 'AppProjects and argocd-rbac-cm cannot be applied here.', {
      hint: 'Apply them through the API (POST /api/v1/apply or /api/v1/projects).',
    });
  const access = await applyAccessDocuments({ ...deps, accessStores }, principal, split.access);
  const rest =
    split.rest.length === 0
      ? { applied: [], runs: [], warnings: [] }
      : await applyRest(
          split.rest.map((d) => d.value),
          deps.access.refreshed(),
        ).catch((err: unknown) => {
          throw renumbered(err, split.rest);
        });
  return {
    applied: [...access.applied, ...rest.applied],
    runs: rest.runs,
    warnings: [...access.warnings, ...rest.warnings],
  };
}
