'use client';
import { useQuery } from '@tanstack/react-query';
import { ZCanIResults, type TCanICheck } from '@/lib/schemas/access';
import { api } from './api';

export interface CanI {
  /** Whether the caller may; false until the answers arrive (a button stays disabled rather than flicker on). */
  can(resource: string, action: string, object?: string): boolean;
  ready: boolean;
}

const keyOf = (resource: string, action: string, object = '*') => `${resource}\u0000${action}\u0000${object}`;
const STALE_MS = 30_000;

/**
 * Asks the server, in one request, whether the caller may do each of `checks` (POST /api/v1/account/can-i), so
 * pages can disable what the policy forbids. The server still enforces every call; this only reflects it.
 */
export function useCanI(checks: readonly TCanICheck[]): CanI {
  const list = checks.map((c) => ({ resource: c.resource, action: c.action, object: c.object ?? '*' }));
  const key = list.map((c) => keyOf(c.resource, c.action, c.object)).sort();
  const query = useQuery({
    queryKey: ['can-i', ...key],
    enabled: list.length > 0,
    staleTime: STALE_MS,
    queryFn: () =>
      api('/api/v1/account/can-i', ZCanIResults, { method: 'POST', body: JSON.stringify({ checks: list }) }),
  });
  const answers = new Map<string, boolean>();
  query.data?.results.forEach((allowed, i) => {
    const c = list[i];
    if (c) answers.set(keyOf(c.resource, c.action, c.object), allowed);
  });
  return {
    can: (resource, action, object) => answers.get(keyOf(resource, action, object)) === true,
    ready: query.isSuccess,
  };
}

/** The tooltip of a control the caller may not use. */
export function notAllowedTitle(action: string, what: string): string {
  return `You are not allowed to ${action} this ${what}.`;
}
