import type { Principal } from '../../../lib/server/principal';
import type { TestDatabase } from './test-database';

const NO_USER = '00000000-0000-4000-8000-000000000000';

/** A principal as a session or token would give it; `username` is its policy subject. */
export function principal(username: string, groups: string[] = [], via: Principal['via'] = 'token'): Principal {
  return { userId: NO_USER, username, name: null, role: 'user', groups, via };
}

/** The local `admin` account: role:admin through the built-in `g, admin, role:admin`. */
export function admin(): Principal {
  return principal('admin', [], 'session');
}

/** An SSO user; on a fresh install policy.default makes them role:readonly. */
export function readonly(username = 'viewer', groups: string[] = ['viewers']): Principal {
  return principal(username, groups, 'session');
}

/** A project token or trigger service account: it acts as proj:<project>:<role>. */
export function projectRole(project: string, role: string, via: Principal['via'] = 'project-token'): Principal {
  return principal(`proj:${project}:${role}`, [], via);
}

/**
 * Makes these subjects role:admin by applying an RBAC ConfigMap with `g, <subject>, role:admin` lines
 * (replacing any applied before), for tests whose subject is not the built-in admin.
 */
export async function grantAdmin(t: TestDatabase, ...subjects: string[]): Promise<void> {
  const csv = subjects.map((s) => `g, ${s}, role:admin`).join('\n');
  await t.deps().accessStores.rbac.put({ 'policy.default': 'role:readonly', 'policy.csv': csv }, 'test');
}
