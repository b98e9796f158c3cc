import type { JqRunner } from '@/lib/adapters/jq';
import { recordAudit } from '../../audit';
import type { Deps } from '../../deps';
import type { Principal } from '../../principal';
import { notifyController } from '../notify-controller';
import { getApplication } from './get-application';
import { noSuchApplication } from './load-application';
import { fieldError } from './parse-input';
import { replaceSpec } from './create-application';
import { validateApplication } from './validate-application';
import { auditEntry } from '../audit-entry';

/** PUT: replaces the spec (validated as on create), bumps the generation and asks for a refresh. */
export async function updateApplication(
  deps: Deps,
  principal: Principal,
  name: string,
  raw: unknown,
  allowLocalRepos: boolean,
  jq: JqRunner,
) {
  const cols = await validateApplication(deps, raw, allowLocalRepos, jq);
  if (cols.name !== name)
    throw fieldError(
      'metadata.name',
      `is "${cols.name}" but the URL names "${name}"`,
      'Renaming is not supported: create the new app and delete the old one.',
    );
  await deps.db.transaction(async (tx) => {
    const txDeps = { ...deps, db: tx };
    if (!(await replaceSpec(txDeps, cols))) throw noSuchApplication(name);
    await recordAudit(txDeps, auditEntry(principal, 'application.update', `application/${name}`));
    await notifyController(txDeps, name);
  });
  return getApplication(deps, name);
}
