import type { TAppProject } from '@/lib/domain/gitops/projects';
import { AppError } from '@/lib/errors';
import type { Access, AccessStores, ProjectToken, StoredProject } from './ports';

/** What the project, RBAC ConfigMap and project token use cases need. */
export interface ProjectDeps {
  access: Access;
  accessStores: AccessStores;
  now: () => Date;
}

/** A stored project as Argo CD answers it: the document, with its live tokens in status.jwtTokensByRole. */
export function projectView(stored: StoredProject, tokens: readonly ProjectToken[]): TAppProject {
  const { project } = stored;
  const byRole: Record<string, { items: { iat: number; exp?: number; id: string }[] }> = {};
  for (const t of tokens) {
    (byRole[t.role] ??= { items: [] }).items.push({
      id: t.id,
      iat: Math.floor(t.createdAt.getTime() / 1000),
      ...(t.expiresAt ? { exp: Math.floor(t.expiresAt.getTime() / 1000) } : {}),
    });
  }
  return {
    ...project,
    metadata: { ...project.metadata, creationTimestamp: stored.createdAt.toISOString() },
    ...(tokens.length > 0 ? { status: { jwtTokensByRole: byRole } } : {}),
  };
}

export function projectNotFound(name: string): AppError {
  return new AppError('NOT_FOUND', `No project named "${name}".`, {
    hint: 'List projects with `keelson proj list` or GET /api/v1/projects.',
  });
}

/** The stored project, after `projects, <action>, <name>` was authorized (403 before 404, as Argo CD). */
export async function authorizedProject(
  deps: ProjectDeps,
  principal: Parameters<Access['authorize']>[0],
  action: string,
  name: string,
): Promise<StoredProject> {
  await deps.access.authorize(principal, 'projects', action, name);
  const stored = await deps.accessStores.projects.get(name);
  if (!stored) throw projectNotFound(name);
  return stored;
}
