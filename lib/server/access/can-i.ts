import type { TCanIAnswer, TCanICheck } from '@/lib/schemas/access';
import { isResource } from '@/lib/domain/access/vocabulary';
import type { Principal } from '../principal';
import type { AccessDeps } from './ports';

/**
 * `argocd account can-i`: whether the caller may do an action, asked of the same policy every use case enforces.
 * An unknown resource is simply not allowed (no policy line can grant it).
 */
export async function canIDo(deps: AccessDeps, principal: Principal, check: TCanICheck): Promise<TCanIAnswer> {
  const object = check.object ?? '*';
  const allowed =
    isResource(check.resource) && (await deps.access.can(principal, check.resource, check.action, object));
  return { allowed, answer: allowed ? 'yes' : 'no' };
}

/** The batch form: one answer per question, in order. */
export async function canIDoAll(deps: AccessDeps, principal: Principal, checks: TCanICheck[]): Promise<boolean[]> {
  return Promise.all(checks.map(async (c) => (await canIDo(deps, principal, c)).allowed));
}
