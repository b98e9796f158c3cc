/**
 * The policy engine behind authorize(): Argo CD's casbin model in production (lib/adapters/casbin).
 * `subjects` are everything the caller is known as: username, groups, and the `policy.default` role the
 * engine adds itself. Access is granted when any one subject is allowed, as Argo CD checks the default role,
 * the user, then each group in turn; a deny only overrides an allow for the same subject.
 */
export interface PolicyEngine {
  enforce(subjects: readonly string[], resource: string, action: string, object: string): Promise<boolean>;
}
