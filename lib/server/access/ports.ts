import type { Policy } from '@/lib/domain/access/policy-csv';
import type { RbacConfig } from '@/lib/domain/access/rbac-config';
import type { Resource } from '@/lib/domain/access/vocabulary';
import type { TAppProject } from '@/lib/domain/gitops/projects';
import type { AuditTrail } from '../audit';
import type { Principal } from '../principal';

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
  /** The same question for many objects of one project (a list): one answer per object, in order. */
  enforceMany(
    subjects: readonly string[],
    resource: string,
    action: string,
    objects: readonly string[],
    project?: ProjectPolicy,
  ): Promise<boolean[]>;
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

/** A stored AppProject with who wrote it last. */
export interface StoredProject {
  project: TAppProject;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** AppProjects, stored whole. Every write bumps the access revision in the same transaction. */
export interface ProjectStore {
  list(): Promise<StoredProject[]>;
  get(name: string): Promise<StoredProject | undefined>;
  /** Creates or replaces; `created` says which. */
  put(project: TAppProject, by: string): Promise<{ created: boolean }>;
  delete(name: string): Promise<boolean>;
  /** What still belongs to the project (applications, pipeline definitions, companions, runs): `kind/name`. */
  references(name: string, limit: number): Promise<string[]>;
}

/** A project token (Argo CD's project JWT): a Keelson API token bound to `proj:<project>:<role>`. */
export interface ProjectToken {
  id: string;
  project: string;
  role: string;
  issuedBy: string;
  createdAt: Date;
  expiresAt: Date | null;
}

export interface NewProjectToken {
  userId: string;
  project: string;
  role: string;
  name: string;
  prefix: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** Project tokens in api_tokens (project/role set); only their hash is stored. */
export interface ProjectTokenStore {
  insert(token: NewProjectToken): Promise<ProjectToken>;
  /** Tokens not revoked (expired ones included, as Argo CD lists them), oldest first. */
  list(project: string, role?: string): Promise<ProjectToken[]>;
  revoke(project: string, role: string, id: string, at: Date): Promise<boolean>;
  /** Revokes the project's tokens whose role is not in `roles` (all of them for []): removed roles' tokens die. */
  revokeOutside(project: string, roles: readonly string[], at: Date): Promise<number>;
}

/** The `argocd-rbac-cm` data as applied (null until someone applies one: then the safe defaults hold). */
export interface RbacConfigStore {
  get(): Promise<{ data: Record<string, string>; updatedAt: Date; updatedBy: string } | null>;
  put(data: Record<string, string>, by: string): Promise<void>;
}

export interface AccessStores {
  projects: ProjectStore;
  rbac: RbacConfigStore;
  tokens: ProjectTokenStore;
  /** A number bumped by every project or RBAC write: the cache key of the policy the engine was built from. */
  revision(): Promise<number>;
  /** Runs `fn` with stores bound to one transaction (the change and its audit row commit together). */
  transaction<T>(fn: (tx: AccessTransaction) => Promise<T>): Promise<T>;
}

export interface AccessTransaction {
  projects: ProjectStore;
  rbac: RbacConfigStore;
  tokens: ProjectTokenStore;
  audit: AuditTrail;
}

/**
 * What every use case asks: may this principal do `action` on `resource` `object`? Objects of project-scoped
 * resources are `<project>/<name>` (projects: the project name), and the project's role policies join in.
 */
export interface Access {
  /** Throws 403 FORBIDDEN naming {resource, action, object} when refused. */
  authorize(principal: Principal, resource: Resource, action: string, object: string): Promise<void>;
  can(principal: Principal, resource: Resource, action: string, object: string): Promise<boolean>;
  /** The items the principal may do `action` (usually get) on; order kept. */
  filter<T>(
    principal: Principal,
    resource: Resource,
    action: string,
    items: readonly T[],
    objectOf: (item: T) => string,
  ): Promise<T[]>;
  /** An AppProject by name (the `default` project always exists). */
  project(name: string): Promise<TAppProject | undefined>;
  /** The effective RBAC configuration (defaults when none was applied). */
  config(): Promise<RbacConfig>;
  /**
   * The same access control reading the policy afresh: an Access answers from the policy as it was at its first
   * question, so a use case that changed projects or the RBAC ConfigMap asks this one about what comes after.
   */
  refreshed(): Access;
}

export interface AccessDeps {
  access: Access;
}
