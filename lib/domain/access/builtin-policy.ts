/**
 * The built-in policy. The Argo CD part is assets/builtin-policy.csv of argoproj/argo-cd, verbatim
 * (Apache-2.0, Copyright The Argo Authors); the Keelson part grants the same two roles the pipeline
 * resources: role:readonly `get` on everything readable (never secrets), role:admin every action.
 */
export const ARGO_CD_BUILTIN_POLICY_CSV = `# Built-in policy which defines two roles: role:readonly and role:admin,
# and additionally assigns the admin user to the role:admin role.
# There are two policy formats:
# 1. Applications, applicationsets, logs, and exec (which belong to a project):
# p, <role/user/group>, <resource>, <action>, <project>/<object>, <allow/deny>
# 2. All other resources:
# p, <role/user/group>, <resource>, <action>, <object>, <allow/deny>

p, role:readonly, applications, get, */*, allow
p, role:readonly, applicationsets, get, */*, allow
p, role:readonly, certificates, get, *, allow
p, role:readonly, clusters, get, *, allow
p, role:readonly, repositories, get, *, allow
p, role:readonly, write-repositories, get, *, allow
p, role:readonly, projects, get, *, allow
p, role:readonly, accounts, get, *, allow
p, role:readonly, gpgkeys, get, *, allow
p, role:readonly, logs, get, */*, allow

p, role:admin, applications, create, */*, allow
p, role:admin, applications, update, */*, allow
p, role:admin, applications, update/*, */*, allow
p, role:admin, applications, delete, */*, allow
p, role:admin, applications, delete/*, */*, allow
p, role:admin, applications, sync, */*, allow
p, role:admin, applications, rollback, */*, allow
p, role:admin, applications, override, */*, allow
p, role:admin, applications, action/*, */*, allow
p, role:admin, applicationsets, get, */*, allow
p, role:admin, applicationsets, create, */*, allow
p, role:admin, applicationsets, update, */*, allow
p, role:admin, applicationsets, delete, */*, allow
p, role:admin, certificates, create, *, allow
p, role:admin, certificates, update, *, allow
p, role:admin, certificates, delete, *, allow
p, role:admin, clusters, create, *, allow
p, role:admin, clusters, update, *, allow
p, role:admin, clusters, delete, *, allow
p, role:admin, repositories, create, *, allow
p, role:admin, repositories, update, *, allow
p, role:admin, repositories, delete, *, allow
p, role:admin, write-repositories, create, *, allow
p, role:admin, write-repositories, update, *, allow
p, role:admin, write-repositories, delete, *, allow
p, role:admin, projects, create, *, allow
p, role:admin, projects, update, *, allow
p, role:admin, projects, delete, *, allow
p, role:admin, accounts, update, *, allow
p, role:admin, gpgkeys, create, *, allow
p, role:admin, gpgkeys, delete, *, allow
p, role:admin, exec, create, */*, allow
p, role:admin, exec, debug, */*, allow

g, role:admin, role:readonly
g, admin, role:admin
`;

export const KEELSON_BUILTIN_POLICY_CSV = `# Keelson's pipeline resources; objects are <project>/<name>.
p, role:readonly, pipelines, get, */*, allow
p, role:readonly, pipelineruns, get, */*, allow
p, role:readonly, triggers, get, */*, allow

p, role:admin, pipelines, create, */*, allow
p, role:admin, pipelines, update, */*, allow
p, role:admin, pipelines, delete, */*, allow
p, role:admin, pipelineruns, create, */*, allow
p, role:admin, pipelineruns, cancel, */*, allow
p, role:admin, pipelineruns, delete, */*, allow
p, role:admin, triggers, create, */*, allow
p, role:admin, triggers, update, */*, allow
p, role:admin, triggers, delete, */*, allow
p, role:admin, secrets, create, */*, allow
p, role:admin, secrets, update, */*, allow
p, role:admin, secrets, delete, */*, allow

# The audit log (rows carry IP addresses): admins only.
p, role:admin, audit, get, *, allow

# argocd-rbac-cm: everyone who reads accounts may read it; only admins rewrite it.
p, role:readonly, rbac, get, *, allow
p, role:admin, rbac, get, *, allow
p, role:admin, rbac, update, *, allow
`;

export const BUILTIN_POLICY_CSV = `${ARGO_CD_BUILTIN_POLICY_CSV}\n${KEELSON_BUILTIN_POLICY_CSV}`;
