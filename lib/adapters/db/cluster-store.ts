/** The registered clusters (Drizzle); implements the gitops ClusterStore port. */
import { eq } from 'drizzle-orm';
import type { ClusterStore } from '@/lib/server/gitops/ports';
import type { DbOrTx } from './client';
import { clusters } from './schema';

const summary = {
  id: clusters.id,
  name: clusters.name,
  server: clusters.server,
  serverVersion: clusters.serverVersion,
};

export function createClusterStore(db: DbOrTx): ClusterStore {
  return {
    list: () => db.select({ name: clusters.name, server: clusters.server }).from(clusters),
    listByName: () =>
      db
        .select({ ...summary, createdAt: clusters.createdAt })
        .from(clusters)
        .orderBy(clusters.name),
    async find(name) {
      const [row] = await db.select().from(clusters).where(eq(clusters.name, name));
      return row;
    },
    async insert(row) {
      const [inserted] = await db.insert(clusters).values(row).returning(summary);
      return inserted;
    },
    async deleteByName(name) {
      const gone = await db.delete(clusters).where(eq(clusters.name, name)).returning({ id: clusters.id });
      return gone.length > 0;
    },
  };
}
