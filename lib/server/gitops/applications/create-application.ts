import { eq, sql } from 'drizzle-orm';
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
  const inserted = await deps.db
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
  const created = inserted.length === 1;
  if (!created) {
    if (!options.upsert) {
      throw new AppError('CONFLICT', `An application named "${cols.name}" already exists.`, {
        hint: 'Use `keelson app create --upsert` (or ?upsert=true) to replace its spec, or pick another name.',
      });
    }
    if (!(await replaceSpec(deps, cols)))
      throw new AppError('CONFLICT', `Application "${cols.name}" was deleted while it was being replaced.`, {
        hint: 'Send the request again.',
      });
  }
  await recordAudit(deps, {
    actor: principal.username,
    action: created ? 'application.create' : 'application.update',
    target: `application/${cols.name}`,
    result: 'success',
  });
  await notifyController(deps, cols.name);
  return { created, application: await getApplication(deps, cols.name) };
}

/**
 * New spec, refresh asked; the generation moves only when the spec really changed (an upsert of
 * the same document is a no-op, as in Argo CD). False when the row is gone (deleted meanwhile).
 */
export async function replaceSpec(deps: Deps, cols: Awaited<ReturnType<typeof validateApplication>>): Promise<boolean> {
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
