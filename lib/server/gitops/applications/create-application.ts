import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/lib/adapters/db/client';
import { applications } from '@/lib/adapters/db/schema';
import type { JqRunner } from '@/lib/adapters/jq';
import { AppError } from '@/lib/errors';
import type { TApplication } from '@/lib/schemas/applications';
import { recordAudit } from '../../audit';
import type { Deps } from '../../deps';
import type { Principal } from '../../principal';
import { notifyController } from '../notify-controller';
import { getApplication } from './get-application';
import { validateApplication } from './validate-application';
import { auditEntry } from '../audit-entry';

export interface CreateOptions {
  /** Replace the spec of an existing app of that name instead of answering 409 (Argo CD's --upsert). */
  upsert?: boolean;
  allowLocalRepos: boolean;
  /** Checks ignoreDifferences' jq expressions (the web process's jq thread). */
  jq: JqRunner;
}

/**
 * Creates an Application from an Argo CD document. Everything is validated first (fields, repo URL,
 * destination cluster); a refusal stores nothing. A new or changed app is refreshed at once.
 */
export async function createApplication(
  deps: Deps,
  principal: Principal,
  raw: unknown,
  options: CreateOptions,
): Promise<{ created: boolean; application: TApplication }> {
  const cols = await validateApplication(deps, raw, options.allowLocalRepos, options.jq);
  const now = deps.now();
  // The app, its audit row and the controller's wake-up commit together.
  const created = await deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx };
    const inserted = await tx
      .insert(applications)
      .values({
        ...cols,
        createdBy: principal.username,
        createdAt: now,
        updatedAt: now,
        refreshRequested: 'normal',
        nextReconcileAt: now,
      })
      .onConflictDoNothing({ target: applications.name })
      .returning({ id: applications.id });
    const isNew = inserted.length === 1;
    if (!isNew) {
      if (!options.upsert) {
        throw new AppError('CONFLICT', `An application named "${cols.name}" already exists.`, {
          hint: 'Use `keelson app create --upsert` (or ?upsert=true) to replace its spec, or pick another name.',
        });
      }
      if (!(await replaceSpec(txDeps, cols)))
        throw new AppError('CONFLICT', `Application "${cols.name}" was deleted while it was being replaced.`, {
          hint: 'Send the request again.',
        });
    }
    await recordAudit(
      txDeps,
      auditEntry(principal, isNew ? 'application.create' : 'application.update', `application/${cols.name}`),
    );
    await notifyController(txDeps, cols.name);
    return isNew;
  });
  return { created, application: await getApplication(deps, cols.name) };
}

/**
 * New spec, refresh asked; the generation moves only when the spec really changed (an upsert of
 * the same document is a no-op, as in Argo CD). False when the row is gone (deleted meanwhile).
 */
export async function replaceSpec(
  deps: Pick<Deps, 'now'> & { db: DbOrTx },
  cols: Awaited<ReturnType<typeof validateApplication>>,
): Promise<boolean> {
  const [current] = await deps.db
    .select({ deletion: applications.deletion })
    .from(applications)
    .where(eq(applications.name, cols.name));
  if (current?.deletion)
    throw new AppError('CONFLICT', `Application "${cols.name}" is being deleted.`, {
      hint: 'Wait for the deletion to finish, then create it again.',
    });
  const now = deps.now();
  const updated = await deps.db
    .update(applications)
    .set({
      ...cols,
      generation: sql`case when ${applications.spec} = ${JSON.stringify(cols.spec)}::jsonb then ${applications.generation} else ${applications.generation} + 1 end`,
      refreshRequested: sql`coalesce(${applications.refreshRequested}, 'normal')`,
      nextReconcileAt: now,
      updatedAt: now,
    })
    .where(eq(applications.name, cols.name))
    .returning({ id: applications.id });
  return updated.length === 1;
}
