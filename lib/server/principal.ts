import type { AccountSource } from '@/lib/domain/access/policy-subjects';

/**
 * How a principal authenticated: a browser session, a user's API token, a project token (it acts as the
 * project role `proj:<project>:<role>`, named in `username`), a trigger delivery (as the trigger's service
 * account, a project role), or the controller acting on its own (automated sync).
 */
export const PRINCIPAL_VIAS = ['session', 'token', 'project-token', 'trigger', 'controller'] as const;
export type PrincipalVia = (typeof PRINCIPAL_VIAS)[number];

/** The authenticated caller of a request, however they authenticated. */
export interface Principal {
  userId: string;
  /**
   * The name shown and audited, and a policy subject unless `source` is `sso`; `proj:<project>:<role>` for
   * project tokens and trigger service accounts.
   */
  username: string;
  name: string | null;
  /** Kept for display only; what a principal may do comes from the RBAC policy (lib/server/access). */
  role: string;
  /** Group subjects from the SSO claims named by the RBAC config's `scopes`. */
  groups: string[];
  via: PrincipalVia;
  /**
   * Whose account: `sso` users are known to the policy only by their scope values (`groups`), never by their
   * username (lib/domain/access/policy-subjects.ts). Every principal made from a user row sets it
   * (lib/server/auth/principal-of-user.ts); absent for project tokens, trigger service accounts and the
   * controller, whose username is their subject.
   */
  source?: AccountSource;
  /**
   * Which client sent the request, set where request principals are made: the API route handler (`cli` when
   * the keelson CLI's User-Agent says so, else `api`; `ui` for a browser session) and requirePrincipal (`ui`).
   * The audit log's `via` comes from it (lib/server/audit/audit-via.ts).
   */
  client?: PrincipalClient;
}

export const PRINCIPAL_CLIENTS = ['ui', 'api', 'cli'] as const;
export type PrincipalClient = (typeof PRINCIPAL_CLIENTS)[number];
