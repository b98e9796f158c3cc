import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { at } from './columns';
import { applications } from './schema-applications';

/**
 * The gitops controllers sharing the applications: each worker process holds a row, renewed every few seconds
 * (lease times are the database's clock, so hosts need not agree). A member whose lease ran out is dead: the
 * others take its apps over. A graceful stop deletes the row.
 */
export const controllerMembers = pgTable('controller_members', {
  id: text('id').primaryKey(),
  host: text('host').notNull(),
  pid: integer('pid').notNull(),
  startedAt: at('started_at').notNull().defaultNow(),
  heartbeatAt: at('heartbeat_at').notNull().defaultNow(),
  leaseUntil: at('lease_until').notNull(),
});

/**
 * Which controller is refreshing an app right now: a refresh runs only under this lease, so two controllers
 * whose views of the membership differ for a moment never compare (or auto-sync) one app at once. The lease
 * lasts while its holder's membership does; `held` is false once the refresh is done (the row stays: it names
 * the controller that compared the app last).
 */
export const appRefreshLeases = pgTable('app_refresh_leases', {
  appName: text('app_name')
    .primaryKey()
    .references(() => applications.name, { onDelete: 'cascade' }),
  owner: text('owner').notNull(),
  held: boolean('held').notNull().default(true),
  since: at('since').notNull().defaultNow(),
});
