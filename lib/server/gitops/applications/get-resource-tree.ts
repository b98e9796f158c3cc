import { eq } from 'drizzle-orm';
import { applications } from '@/lib/adapters/db/schema';
import type { TResourceTree } from '@/lib/schemas/applications';
import type { Deps } from '../../deps';
import { noSuchApplication } from './load-application';

/** The tree the controller last built: the app's resources and their owned children. */
export async function getResourceTree(deps: Pick<Deps, 'db'>, name: string): Promise<TResourceTree> {
  const [row] = await deps.db.select({ tree: applications.tree }).from(applications).where(eq(applications.name, name));
  if (!row) throw noSuchApplication(name);
  return { nodes: row.tree };
}
