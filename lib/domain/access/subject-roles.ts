import type { RoleLink } from './policy-csv';

/**
 * The roles a user holds through `g, subject, role` lines (Argo CD's role manager: exact subjects, roles may
 * inherit roles), starting from every subject the user is known as (username, then groups). Informational:
 * what a user may do is still decided by the policy engine. Order: as first reached, breadth first.
 */
export function rolesOfSubjects(subjects: readonly string[], links: readonly RoleLink[]): string[] {
  const bySubject = new Map<string, string[]>();
  for (const link of links) bySubject.set(link.subject, [...(bySubject.get(link.subject) ?? []), link.role]);
  const seen = new Set<string>(subjects);
  const roles: string[] = [];
  const queue = [...subjects];
  while (queue.length > 0) {
    for (const role of bySubject.get(queue.shift() ?? '') ?? []) {
      if (seen.has(role)) continue;
      seen.add(role);
      roles.push(role);
      queue.push(role);
    }
  }
  return roles;
}
