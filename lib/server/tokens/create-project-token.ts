import { displayPrefix } from '@/lib/domain/auth/api-token';
import type { TCreatedProjectToken, TCreateProjectToken } from '@/lib/schemas/projects';
import type { ProjectDeps } from '../access/project-deps';
import { auditBy } from '../audit/audit-via';
import type { Principal } from '../principal';
import { expiryMs, projectRoleFor, projectTokenInfo } from './project-token-info';
import { hashToken, newApiToken } from './token-hash';

/**
 * Argo CD's `argocd proj role create-token`: an API token that acts as `proj:<project>:<role>` (not as its
 * issuer), optionally expiring. Needs `projects, update, <project>`. The token is returned this once.
 */
export async function createProjectToken(
  deps: ProjectDeps,
  principal: Principal,
  project: string,
  role: string,
  input: TCreateProjectToken,
): Promise<TCreatedProjectToken> {
  await projectRoleFor(deps, principal, project, role);
  const ttl = expiryMs(input.expiresIn);
  const now = deps.now();
  const token = newApiToken();
  const created = await deps.accessStores.transaction(async (tx) => {
    const row = await tx.tokens.insert({
      userId: principal.userId,
      project,
      role,
      name: input.id ?? `proj:${project}:${role}`,
      prefix: displayPrefix(token),
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
    });
    await tx.audit.record({
      ...auditBy(principal),
      action: 'project.token.create',
      target: `projects/${project}/roles/${role}/tokens/${row.id}`,
      result: 'success',
      details: { expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return row;
  });
  return { ...projectTokenInfo(created, now), token };
}
