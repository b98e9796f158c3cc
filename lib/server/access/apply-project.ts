import { isDeepStrictEqual } from 'node:util';
import { ZAppProject, type TAppProject } from '@/lib/domain/gitops/projects';
import { specDiff } from '@/lib/domain/audit/spec-diff';
import { AppError } from '@/lib/errors';
import { auditBy } from '../audit/audit-via';
import { fieldError, parseOrThrow } from '../gitops/applications/parse-input';
import type { Principal } from '../principal';
import { singleDocument } from './document-input';
import type { ProjectDeps } from './project-deps';

export interface ApplyProjectOptions {
  /** POST without upsert: an existing project with another spec is a 409 (Argo CD's `proj create`). */
  mode: 'create' | 'upsert' | 'update';
  /** PUT /projects/{name}: the document's name must be this one. */
  name?: string;
}

export interface AppliedProject {
  project: TAppProject;
  action: 'created' | 'configured' | 'unchanged';
  warnings: { path: string; message: string }[];
}

const HINT =
  'An AppProject is argoproj.io/v1alpha1 as Argo CD accepts it: fix the fields listed and apply it again (`keelson proj create -f project.yaml --upsert`).';

/** Argo CD's apps-in-any-namespace field: accepted so documents apply unchanged, and said to be ignored. */
function warningsOf(project: TAppProject): AppliedProject['warnings'] {
  return project.spec.sourceNamespaces?.length
    ? [
        {
          path: 'spec.sourceNamespaces',
          message:
            'accepted and ignored: Keelson keeps every Application in one place, so there are no source namespaces to permit',
        },
      ]
    : [];
}

/**
 * Creates or replaces an AppProject (`projects, create|update, <name>`). The status (project tokens) is the
 * server's: it is not taken from the document. Tokens of roles the new spec no longer has are revoked in the
 * same transaction as the change and its audit row, as removing a role invalidates its JWTs in Argo CD.
 */
export async function applyProject(
  deps: ProjectDeps,
  principal: Principal,
  input: unknown,
  options: ApplyProjectOptions,
): Promise<AppliedProject> {
  const parsed = parseOrThrow(ZAppProject, singleDocument(input, 'AppProject'), HINT, 'AppProject');
  // What Kubernetes (or `proj get -o yaml`) writes into a document it answers is not part of the spec.
  const { status: _status, ...document } = parsed;
  const {
    creationTimestamp: _c,
    resourceVersion: _r,
    uid: _u,
    generation: _g,
    managedFields: _m,
    ...metadata
  } = document.metadata;
  const project: TAppProject = { ...document, metadata };
  const name = project.metadata.name;
  if (options.name !== undefined && options.name !== name)
    throw fieldError('metadata.name', `must be "${options.name}", the project in the URL`, 'Rename is not supported.');
  const existing = await deps.accessStores.projects.get(name);
  await deps.access.authorize(principal, 'projects', existing ? 'update' : 'create', name);
  if (!existing && options.mode === 'update')
    throw new AppError('NOT_FOUND', `No project named "${name}".`, { hint: 'Create it with POST /api/v1/projects.' });
  const same = existing !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(existing.project)), project);
  if (existing && !same && options.mode === 'create')
    throw new AppError('CONFLICT', `existing project spec is different, use upsert flag to force update`, {
      hint: `Apply with \`keelson proj create -f FILE --upsert\` (POST /api/v1/projects?upsert=true) to replace "${name}".`,
    });
  const warnings = warningsOf(project);
  if (same) return { project, action: 'unchanged', warnings };
  await deps.accessStores.transaction(async (tx) => {
    await tx.projects.put(project, principal.username);
    const roles = (project.spec.roles ?? []).map((r) => r.name);
    const revoked = await tx.tokens.revokeOutside(name, roles, deps.now());
    await tx.audit.record({
      ...auditBy(principal),
      action: existing ? 'project.update' : 'project.create',
      target: `projects/${name}`,
      result: 'success',
      details: {
        // An update records what changed (RFC 6902, as every spec change's row), a creation the spec it made.
        ...(existing ? { diff: specDiff(existing.project, project) } : { spec: project.spec }),
        ...(revoked > 0 ? { revokedTokens: revoked } : {}),
      },
    });
  });
  return { project, action: existing ? 'configured' : 'created', warnings };
}
