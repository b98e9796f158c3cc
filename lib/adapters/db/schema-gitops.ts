import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { idColumn } from './columns';

/** Git repositories Applications may follow. Credentials are sealed (AES-256-GCM) and never returned. */
export const repositories = pgTable('repositories', {
  id: idColumn(),
  /** As the user gave it (credentials stripped). */
  url: text('url').notNull(),
  /** normalizeRepoUrl(url): what webhooks and apps are matched on. */
  normalizedUrl: text('normalized_url').notNull().unique(),
  sealedCredentials: text('sealed_credentials'),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Kubernetes clusters Applications deploy to. Credentials are sealed and never returned. */
export const clusters = pgTable('clusters', {
  id: idColumn(),
  name: text('name').notNull().unique(),
  server: text('server').notNull(),
  serverVersion: text('server_version'),
  sealedCredentials: text('sealed_credentials').notNull(),
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
