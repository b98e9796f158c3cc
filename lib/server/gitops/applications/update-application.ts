import type { JqRunner } from '@/lib/adapters/jq';
import type { RepoHostPolicy } from '@/lib/domain/gitops/repo-address';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { getApplication } from './get-application';
import { noSuchApplication } from './load-application';
import { fieldError } from './parse-input';
import { replaceSpec } from './create-application';
import { validateApplication } from './validate-application';
import { auditEntry } from '../audit-entry';
import { specDiff } from '@/lib/domain/audit/spec-diff';

/** PUT: replaces the spec (validated as on create), bumps the generation and asks for a refresh. */
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
  await deps.gitops.transaction(async (tx) => {
    const before = await tx.apps.lockByName(name);
    if (!before || !(await replaceSpec(tx.apps, deps.now(), cols))) throw noSuchApplication(name);
    const diff = specDiff({ spec: before.spec }, { spec: cols.spec });
    await tx.audit.record(auditEntry(principal, 'application.update', `application/${name}`, { diff }));
    await tx.notify(name);
  });
  return getApplication(deps, name);
}
