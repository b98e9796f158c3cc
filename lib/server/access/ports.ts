import type { Policy } from '@/lib/domain/access/policy-csv';

/**
 * The policy engine behind authorize(): Argo CD's casbin model in production (lib/adapters/casbin).
 * `subjects` are everything the caller is known as: username, groups, and the `policy.default` role the
 * engine adds itself. Access is granted when any one subject is allowed, as Argo CD checks the default role,
 * the user, then each group in turn; a deny only overrides an allow for the same subject.
 */
export interface PolicyEngine {
  enforce(
    subjects: readonly string[],
    resource: string,
    action: string,
    object: string,
    project?: ProjectPolicy,
  ): Promise<boolean>;
}

/**
 * An AppProject's roles as policy lines (`p, proj:<project>:<role>, …` and `g, <group>, proj:<project>:<role>`),
 * Argo CD's "runtime policy": it augments the built-in and user policy for requests on that project, and their
 * denies still override it.
 */
export interface ProjectPolicy {
  project: string;
  policy: Policy;
}
