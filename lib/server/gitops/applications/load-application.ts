import { eq } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import type { Deps } from '../../deps';

export type ApplicationRow = typeof applications.$inferSelect;

export function noSuchApplication(name: string): AppError {
  return new AppError('NOT_FOUND', `No application named "${name}".`, {
    hint: 'List applications with `keelson app list`.',
  });
}

/** The whole row, or 404. */
export async function loadApplication(deps: Pick<Deps, 'db'>, name: string): Promise<ApplicationRow> {
  const [row] = await deps.db.select().from(applications).where(eq(applications.name, name));
  if (!row) throw noSuchApplication(name);
  return row;
}
