/**
 * AppProjects and the RBAC ConfigMap on one database (Drizzle). Every write bumps the access revision
 * (system_settings 'access.revision') in the same transaction, so every process rebuilds its policy engine
 * after a change it did not make itself.
 */
import { asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { ZAppProject } from '@/lib/domain/gitops/projects';
import type { AccessStores, ProjectStore, RbacConfigStore, StoredProject } from '@/lib/server/access/ports';
import { createProjectTokenStore } from './api-token-store';
import { createAuditTrail } from './audit-trail';
import type { Db, DbOrTx } from './client';
import {
  applications,
  companions,
  definitions,
  pipelineRuns,
  projects,
  systemSettings,
  taskRuns,
  type ProjectRow,
} from './schema';

const RBAC_KEY = 'rbac.config';
const ZStoredRbac = z.object({ data: z.record(z.string(), z.string()), by: z.string() });
const REVISION_KEY = 'access.revision';

async function bumpRevision(db: DbOrTx): Promise<void> {
  await db
    .insert(systemSettings)
    .values({ key: REVISION_KEY, value: 1 })
    .onConflictDoUpdate({
      target: systemSettings.key,
      set: { value: sql`to_jsonb(coalesce((${systemSettings.value})::text::bigint, 0) + 1)`, updatedAt: sql`now()` },
    });
}

function toStored(row: ProjectRow): StoredProject {
  return {
    project: ZAppProject.parse(row.document),
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function projectStore(db: DbOrTx, now: () => Date): ProjectStore {
  return {
    list: async () => (await db.select().from(projects).orderBy(asc(projects.name))).map(toStored),
    get: async (name) => {
      const [row] = await db.select().from(projects).where(eq(projects.name, name));
      return row ? toStored(row) : undefined;
    },
    put: async (project, by) => {
      const [row] = await db
        .insert(projects)
        .values({ name: project.metadata.name, document: project, createdBy: by, updatedAt: now() })
        .onConflictDoUpdate({ target: projects.name, set: { document: project, updatedAt: now() } })
        .returning({ created: sql<boolean>`(xmax = 0)` });
      await bumpRevision(db);
      return { created: row?.created === true };
    },
    delete: async (name) => {
      const gone = await db.delete(projects).where(eq(projects.name, name)).returning({ name: projects.name });
      if (gone.length > 0) await bumpRevision(db);
      return gone.length > 0;
    },
    references: async (name, limit) => {
      const kinds = [
        { kind: sql<string>`'Application'`, table: applications },
        { kind: definitions.kind, table: definitions },
        { kind: companions.kind, table: companions },
        { kind: sql<string>`'PipelineRun'`, table: pipelineRuns },
        { kind: sql<string>`'TaskRun'`, table: taskRuns },
      ];
      const found: string[] = [];
      for (const { kind, table } of kinds) {
        if (found.length >= limit) break;
        const rows = await db
          .selectDistinct({ kind, name: table.name })
          .from(table)
          .where(eq(table.project, name))
          .orderBy(table.name)
          .limit(limit - found.length);
        found.push(...rows.map((r) => `${r.kind}/${r.name}`));
      }
      return found;
    },
  };
}

function rbacStore(db: DbOrTx, now: () => Date): RbacConfigStore {
  return {
    get: async () => {
      const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, RBAC_KEY));
      if (!row) return null;
      const value = ZStoredRbac.parse(row.value);
      return { data: value.data, updatedAt: row.updatedAt, updatedBy: value.by };
    },
    put: async (data, by) => {
      const value = { data, by };
      await db
        .insert(systemSettings)
        .values({ key: RBAC_KEY, value, updatedAt: now() })
        .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: now() } });
      await bumpRevision(db);
    },
  };
}

export function createAccessStores(db: Db, now: () => Date): AccessStores {
  return {
    projects: projectStore(db, now),
    rbac: rbacStore(db, now),
    tokens: createProjectTokenStore(db),
    revision: async () => {
      const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, REVISION_KEY));
      return row ? z.coerce.number().parse(row.value) : 0;
    },
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          projects: projectStore(tx, now),
          rbac: rbacStore(tx, now),
          tokens: createProjectTokenStore(tx),
          audit: createAuditTrail(tx, now),
        }),
      ),
  };
}
