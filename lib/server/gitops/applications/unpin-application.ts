import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { readApplication } from './get-application';
import { noSuchApplication } from './load-application';
import { auditEntry } from '../audit-entry';

/** Resumes following targetRevision: the pin goes, a refresh is asked (auto-sync may then act). */
export async function unpinApplication(deps: GitopsDeps, principal: Principal, name: string) {
  // Unpinning lets auto-sync move the app: a sync permission, as rollback.
  await loadAppFor(deps, principal, name, 'sync');
  await deps.gitops.transaction(async (tx) => {
    if (!(await tx.apps.unpin(name, deps.now()))) throw noSuchApplication(name);
    await tx.audit.record(auditEntry(principal, 'application.unpin', `application/${name}`));
    await tx.notify(name);
  });
  return readApplication(deps, name);
}
