import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { TAppProject } from '@/lib/domain/gitops/projects';
import { idColumn, createdAt, ownedBy } from './columns';

export const users = pgTable('users', {
  id: idColumn(),
  username: text('username').notNull().unique(),
  name: text('name'),
  email: text('email'),
  /** bcrypt hash; null for users that only sign in through SSO. */
  passwordHash: text('password_hash'),
  /** Where the account came from: 'local' or the id of an SSO provider. */
  source: text('source').notNull().default('local'),
  role: text('role').notNull().default('user'),
  groups: jsonb('groups')
    .$type<string[]>()
    .notNull()
    .default(sql`'[]'::jsonb`),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: createdAt(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true }),
});

/** Links an SSO identity (provider + subject) to a user, as next-auth's account model does. */
export const accounts = pgTable(
  'accounts',
  {
    userId: ownedBy('user_id', () => users.id),
    provider: text('provider').notNull(),
    providerAccountId: text('provider_account_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index('accounts_user_idx').on(t.userId)],
);

/** Server-side record of each browser session; the session cookie carries only its id, so logout revokes it. */
export const sessions = pgTable(
  'sessions',
  {
    id: idColumn(),
    userId: ownedBy('user_id', () => users.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_expires_idx').on(t.expiresAt)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: idColumn(),
    userId: ownedBy('user_id', () => users.id),
    name: text('name').notNull(),
    /** The first characters of the token, shown in lists so users can tell tokens apart. */
    prefix: text('prefix').notNull(),
    /** sha256 of the whole token; the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** A project token (Argo CD's `argocd proj role create-token`): it acts as proj:<project>:<role>, not as its issuer. */
    project: text('project'),
    role: text('role'),
  },
  (t) => [uniqueIndex('api_tokens_hash_idx').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: idColumn(),
    at: createdAt(),
    /** Username, or 'system' for workers. */
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    target: text('target'),
    result: text('result').notNull(),
    ip: text('ip'),
    /** How the actor came: ui, api, cli, token, project-token, trigger, controller, system. */
    via: text('via'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_log_at_idx').on(t.at), index('audit_log_actor_idx').on(t.actor, t.at)],
);

/**
 * Argo CD AppProjects, stored whole as applied. The `default` project is created by the migration and can be
 * edited but not deleted. Every write bumps the access revision (system_settings 'access.revision').
 */
export const projects = pgTable('projects', {
  name: text('name').primaryKey(),
  document: jsonb('document').$type<TAppProject>().notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: createdAt(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Fixed-window counters for login attempts, keyed by 'ip:…' or 'user:…'. */
export const rateLimits = pgTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});

/** Small key/value settings owned by the system (e.g. whether the initial admin was created). */
export const systemSettings = pgTable('system_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type UserRow = typeof users.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type AuditRow = typeof auditLog.$inferSelect;
export type ProjectRow = typeof projects.$inferSelect;
export * from './state-enums';
export * from './schema-pipelines';
export * from './schema-gitops';
export * from './schema-applications';
export * from './schema-controllers';
