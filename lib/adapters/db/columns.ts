import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** The columns every table spells the same way. */

/** A random uuid primary key. */
export const idColumn = () => uuid('id').primaryKey().defaultRandom();

/** A timestamp with time zone. */
export const at = (name: string) => timestamp(name, { withTimezone: true });

/** When the row was written. */
export const createdAt = () => at('created_at').notNull().defaultNow();

/** A required reference to its owner's id; the row goes when the owner does. */
export const ownedBy = (name: string, owner: () => AnyPgColumn) =>
  uuid(name).notNull().references(owner, { onDelete: 'cascade' });
