/**
 * AppProject's validatePolicy: a project role's policy line must be `p, proj:<project>:<role>, <resource>,
 * <action>, <project>[/<namespace>]/<object>, allow|deny`, so a project role never grants anything outside its
 * project. Resources are Argo CD's project-scoped ones plus Keelson's (pipelines, pipelineruns, triggers, secrets).
 */
import type { ProjectIssue } from './validate-project';
import type { TProjectRole } from './app-project-schema';

export const PROJECT_POLICY_RESOURCES = [
  'applications',
  'applicationsets',
  'repositories',
  'clusters',
  'exec',
  'logs',
  'pipelines',
  'pipelineruns',
  'triggers',
  'secrets',
] as const;

const ACTION = /^(\*|get|create|update|delete|sync|override|cancel|action\/.*|update\/.*|delete\/.*)$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Why a policy line is invalid for this project role, or null when it is valid. */
export function policyProblem(project: string, role: string, policy: string): string | null {
  const parts = policy.split(',').map((p) => p.trim());
  if (parts.length !== 6 || parts[0] !== 'p') return "must be of the form: 'p, sub, res, act, obj, eft'";
  const [, subject, resource, action, object, effect] = parts;
  const expected = `proj:${project}:${role}`;
  if (subject !== expected) return `policy subject must be: '${expected}', not '${subject}'`;
  if (!(PROJECT_POLICY_RESOURCES as readonly string[]).includes(resource)) {
    return `resource must be one of ${PROJECT_POLICY_RESOURCES.join(', ')}, not '${resource}'`;
  }
  if (!ACTION.test(action)) return `invalid action '${action}'`;
  if (!new RegExp(`^${escapeRegex(project)}(/[*\\w.-]+)?/[*\\w.-]+$`).test(object)) {
    return `object must be of form '${project}/*', '${project}[/<NAMESPACE>]/<NAME>', not '${object}'`;
  }
  if (effect !== 'allow' && effect !== 'deny') return "effect must be: 'allow' or 'deny'";
  return null;
}

export function validateRolePolicies(project: string, roles: readonly TProjectRole[] | undefined): ProjectIssue[] {
  return (roles ?? []).flatMap((role, i) =>
    (role.policies ?? []).flatMap((policy, j) => {
      const problem = policyProblem(project, role.name, policy);
      return problem
        ? [{ path: ['spec', 'roles', i, 'policies', j], message: `invalid policy rule '${policy}': ${problem}` }]
        : [];
    }),
  );
}

/**
 * AppProject.ProjectPoliciesString: the Casbin lines a project contributes to the policy — for each role, `get`
 * on the project itself, the role's own policies, and a `g` line binding each of its groups to the role.
 */
export function projectPolicyLines(project: string, roles: readonly TProjectRole[] | undefined): string[] {
  return (roles ?? []).flatMap((role) => [
    `p, proj:${project}:${role.name}, projects, get, ${project}, allow`,
    ...(role.policies ?? []),
    ...(role.groups ?? []).map((group) => `g, ${group}, proj:${project}:${role.name}`),
  ]);
}
