import { parseGoDuration } from '@/lib/domain/pipeline/duration';
import { AppError } from '@/lib/errors';
import type { TProjectTokenInfo } from '@/lib/schemas/projects';
import { authorizedProject, type ProjectDeps } from '../access/project-deps';
import type { ProjectToken, StoredProject } from '../access/ports';
import type { Principal } from '../principal';

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function projectTokenInfo(t: ProjectToken, now: Date): TProjectTokenInfo {
  return {
    id: t.id,
    project: t.project,
    role: t.role,
    iat: seconds(t.createdAt),
    exp: t.expiresAt ? seconds(t.expiresAt) : null,
    issuedAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    expired: t.expiresAt !== null && t.expiresAt.getTime() <= now.getTime(),
  };
}

/** `--expires-in`: a Go duration (24h, 90m) or whole days (7d); empty or 0 means no expiry, as Argo CD. */
export function expiryMs(text: string | undefined): number | null {
  const value = (text ?? '').trim();
  if (value === '' || value === '0') return null;
  const days = /^(\d+)d$/.exec(value);
  const ms = days ? Number(days[1]) * 86_400_000 : parseGoDuration(value);
  if (ms === undefined || ms <= 0)
    throw new AppError('BAD_REQUEST', `expiresIn: "${value}" is not a duration.`, {
      issues: [{ path: 'expiresIn', message: 'a duration such as 24h, 90m or 7d' }],
      hint: 'Use --expires-in 24h (or leave it out for a token that does not expire).',
    });
  return ms;
}

/** The project (after `projects, update, <project>`, as Argo CD asks for token changes) and its role. */
export async function projectRoleFor(
  deps: ProjectDeps,
  principal: Principal,
  project: string,
  role: string,
): Promise<StoredProject> {
  const stored = await authorizedProject(deps, principal, 'update', project);
  if (!(stored.project.spec.roles ?? []).some((r) => r.name === role))
    throw new AppError('NOT_FOUND', `project "${project}" has no role "${role}".`, {
      hint: `Add the role to spec.roles of the project and apply it (keelson proj create -f FILE --upsert).`,
    });
  return stored;
}
