/**
 * `keelson apply -f` with Argo CD access documents: an `AppProject` (argoproj.io/v1alpha1) goes to applyProject
 * and a ConfigMap named `argocd-rbac-cm` to applyRbacConfig; every other document stays with the pipeline apply.
 */
import { adminLockoutRule, LOCKOUT_RIGHTS } from '@/lib/domain/access/admin-lockout';
import { parseRbacConfigMap } from '@/lib/domain/access/rbac-config';
import { ZAppProject, type TAppProject } from '@/lib/domain/gitops/projects';
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
  if (!parsed.ok) return parsed.issues.map((i) => ({ path: at(i.path), message: i.message }));
  // applyRbacConfig refuses it too; found here, before anything of the file is written.
  const lockout = adminLockoutRule(parsed.config.policy);
  return lockout ? [{ path: at('data'), message: `denies admin ${LOCKOUT_RIGHTS}: ${lockout}` }] : [];
}

export interface AppliedAccessDocument {
  kind: 'AppProject' | 'ConfigMap';
  name: string;
  action: 'created' | 'configured' | 'unchanged';
}

/**
 * Validates every access document (400 naming `documents[i].<path>`, nothing stored) and authorizes each
 * (projects create|update; rbac update for the RBAC ConfigMap), writing nothing. Answers the AppProjects
 * as they will be once applied, so the file's other documents can be checked against them.
 */
export async function checkAccessDocuments(
  deps: ProjectDeps,
  principal: Principal,
  docs: readonly AccessDocument[],
): Promise<TAppProject[]> {
  const issues = docs.flatMap(issuesOf);
  if (issues.length > 0)
    throw new AppError(
      'BAD_REQUEST',
      `${issues.length} problem(s) in the applied documents; nothing was stored. First: ${issues[0].path}: ${issues[0].message}`,
      { issues, hint: 'Fix every listed field and apply the file again.' },
    );
  const pending: TAppProject[] = [];
  for (const d of docs) {
    if (isRecord(d.value) && d.value.kind === 'AppProject') {
      const project = ZAppProject.parse(d.value);
      const exists = (await deps.accessStores.projects.get(project.metadata.name)) !== undefined;
      await deps.access.authorize(principal, 'projects', exists ? 'update' : 'create', project.metadata.name);
      pending.push(project);
    } else await deps.access.authorize(principal, 'rbac', 'update', '*');
  }
  return pending;
}

/** Applies checked access documents, each with its use case (which asks again, and writes its audit row). */
async function writeAccessDocuments(
  deps: ProjectDeps,
  principal: Principal,
  docs: readonly AccessDocument[],
): Promise<{ applied: AppliedAccessDocument[]; warnings: FieldIssue[] }> {
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

/**
 * The access control as it will be once the file's AppProjects are applied, as far as project lookups go
 * (metadata.namespace must name a project, a Trigger's service account a role of it): the pending projects
 * over the stored ones. Policy decisions are still the stored policy's.
 */
export function withPendingProjects(access: Access, pending: readonly TAppProject[]): Access {
  const byName = new Map(pending.map((p) => [p.metadata.name, p]));
  return {
    ...access,
    project: async (name) => byName.get(name) ?? access.project(name),
    refreshed: () => withPendingProjects(access.refreshed(), pending),
  };
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

/** The other documents of a file, checked (validated, authorized) and ready to be written. */
export interface PreparedRest<L, R> {
  write(): Promise<{ applied: L[]; runs: R[]; warnings: FieldIssue[] }>;
}

/**
 * A file mixing access documents with pipeline documents is one all-or-nothing change: every document is
 * validated and authorized first (the pipeline documents against the projects as the file leaves them), and
 * only then are the access documents written, then the rest. A refusal of any document stores nothing.
 */
export async function applyWithAccessDocuments<L, R>(
  deps: Omit<ProjectDeps, 'accessStores'> & { accessStores?: ProjectDeps['accessStores'] },
  principal: Principal,
  split: { access: AccessDocument[]; rest: AccessDocument[] },
  /** Checks the other documents against `access` (it sees the file's projects), writing nothing. */
  prepareRest: (values: unknown[], access: Access) => Promise<PreparedRest<L, R>>,
): Promise<AppliedFile<L, R>> {
  const { accessStores } = deps;
  if (!accessStores)
    throw new AppError('BAD_REQUEST', 'AppProjects and argocd-rbac-cm cannot be applied here.', {
      hint: 'Apply them through the API (POST /api/v1/apply or /api/v1/projects).',
    });
  const projectDeps = { ...deps, accessStores };
  const pending = await checkAccessDocuments(projectDeps, principal, split.access);
  const renumber = (err: unknown): never => {
    throw renumbered(err, split.rest);
  };
  const rest =
    split.rest.length === 0
      ? undefined
      : await prepareRest(
          split.rest.map((d) => d.value),
          withPendingProjects(deps.access, pending),
        ).catch(renumber);
  const access = await writeAccessDocuments(projectDeps, principal, split.access);
  const written = rest ? await rest.write().catch(renumber) : { applied: [], runs: [], warnings: [] };
  return {
    applied: [...access.applied, ...written.applied],
    runs: written.runs,
    warnings: [...access.warnings, ...written.warnings],
  };
}
