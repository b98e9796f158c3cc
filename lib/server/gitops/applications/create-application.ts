import type { JqRunner } from '@/lib/adapters/jq';
import type { RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
import { specDiff, type JsonPatchOp } from '@/lib/domain/audit/spec-diff';
import { AppError } from '@/lib/errors';
import type { TApplication } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import { projectOrThrow, refusalError, specRefusals } from '../app-project';
import type { ApplicationStore, GitopsDeps } from '../ports';
import { authorizeApp } from './app-access';
import { readApplication } from './get-application';
import { validateApplication, type ApplicationColumns } from './validate-application';
import { auditEntry } from '../audit-entry';

export interface CreateOptions {
  /** Replace the spec of an existing app of that name instead of answering 409 (Argo CD's --upsert). */
  upsert?: boolean;
  /** Which repository hosts may be used (repoHostPolicy of the configuration), or just whether local ones may. */
  allowLocalRepos: boolean | RepoHostPolicy;
  /** Checks ignoreDifferences' jq expressions (the web process's jq thread). */
  jq: JqRunner;
}

/**
 * The checks of a spec about to be stored: its project exists and permits the source repo and the destination
 * (a 400 naming each refusing rule otherwise).
 */
export async function checkProject(deps: GitopsDeps, cols: ApplicationColumns): Promise<void> {
  const project = await projectOrThrow(deps, cols.project);
  const refusals = await specRefusals(deps, project, cols);
  if (refusals.length > 0) throw refusalError(cols.project, refusals);
}

/**
 * Creates an Application from an Argo CD document. Everything is validated first (fields, repo URL,
 * destination cluster, `applications create` on <project>/<name>, the project's rules); a refusal stores
 * nothing. Replacing an existing app (upsert) needs `update` on it, in its old and its new project.
 * A new or changed app is refreshed at once.
 */
export async function createApplication(
  deps: GitopsDeps,
  principal: Principal,
  raw: unknown,
  options: CreateOptions,
): Promise<{ created: boolean; application: TApplication }> {
  const cols = await validateApplication(deps, raw, options.allowLocalRepos, options.jq);
  await authorizeApp(deps, principal, 'create', cols);
  await checkProject(deps, cols);
  const now = deps.now();
  // The app, its audit row and the controller's wake-up commit together.
  const created = await deps.gitops.transaction(async (tx) => {
    const isNew = await tx.apps.insertIfAbsent(cols, principal.username, now);
    let diff: JsonPatchOp[] | undefined;
    if (!isNew) {
      const current = await tx.apps.findByName(cols.name);
      if (current) await authorizeApp(deps, principal, 'update', current);
      await authorizeApp(deps, principal, 'update', cols);
      if (!options.upsert) {
        throw new AppError('CONFLICT', `An application named "${cols.name}" already exists.`, {
          hint: 'Use `keelson app create --upsert` (or ?upsert=true) to replace its spec, or pick another name.',
        });
      }
      if (!current || !(await replaceSpec(tx.apps, deps.now(), cols)))
        throw new AppError('CONFLICT', `Application "${cols.name}" was deleted while it was being replaced.`, {
          hint: 'Send the request again.',
        });
      diff = specDiff({ spec: current.spec }, { spec: cols.spec });
    }
    await tx.audit.record(
      auditEntry(
        principal,
        isNew ? 'application.create' : 'application.update',
        `application/${cols.name}`,
        diff ? { diff } : undefined,
      ),
    );
    await tx.notify(cols.name);
    return isNew;
  });
  return { created, application: await readApplication(deps, cols.name) };
}

/**
 * New spec, refresh asked; the generation moves only when the spec really changed (an upsert of
 * the same document is a no-op, as in Argo CD). False when the row is gone (deleted meanwhile).
 */
export async function replaceSpec(apps: ApplicationStore, now: Date, cols: ApplicationColumns): Promise<boolean> {
  const current = await apps.findByName(cols.name);
  if (current?.deletion)
    throw new AppError('CONFLICT', `Application "${cols.name}" is being deleted.`, {
      hint: 'Wait for the deletion to finish, then create it again.',
    });
  return apps.replaceSpec(cols, now);
}
