import type { JqRunner } from '@/lib/adapters/jq';
import type { RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { authorizeApp, loadAppFor } from './app-access';
import { readApplication } from './get-application';
import { noSuchApplication } from './load-application';
import { fieldError } from './parse-input';
import { checkProject, replaceSpec } from './create-application';
import { validateApplication } from './validate-application';
import { auditEntry } from '../audit-entry';
import { specDiff } from '@/lib/domain/audit/spec-diff';

/**
 * PUT: replaces the spec (validated as on create), bumps the generation and asks for a refresh. Needs
 * `applications update` on the app, and in the new project too when spec.project changes.
 */
export async function updateApplication(
  deps: GitopsDeps,
  principal: Principal,
  name: string,
  raw: unknown,
  allowLocalRepos: boolean | RepoHostPolicy,
  jq: JqRunner,
) {
  const cols = await validateApplication(deps, raw, allowLocalRepos, jq);
  if (cols.name !== name)
    throw fieldError(
      'metadata.name',
      `is "${cols.name}" but the URL names "${name}"`,
      'Renaming is not supported: create the new app and delete the old one.',
    );
  const current = await loadAppFor(deps, principal, name, 'update');
  if (current.project !== cols.project) await authorizeApp(deps, principal, 'update', cols);
  await checkProject(deps, cols);
  await deps.gitops.transaction(async (tx) => {
    const before = await tx.apps.lockByName(name);
    if (!before || !(await replaceSpec(tx.apps, deps.now(), cols))) throw noSuchApplication(name);
    const diff = specDiff({ spec: before.spec }, { spec: cols.spec });
    await tx.audit.record(auditEntry(principal, 'application.update', `application/${name}`, { diff }));
    await tx.notify(name);
  });
  return readApplication(deps, name);
}
