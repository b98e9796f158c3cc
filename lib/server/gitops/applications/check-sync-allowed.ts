import { AppError } from '@/lib/errors';
import { INVALID_SPEC, projectOrThrow, refusalError, specRefusals } from '../app-project';
import type { AppRow, GitopsDeps } from '../ports';
import { windowStateOf } from './get-application';

/**
 * What a person's sync (or rollback) must pass besides RBAC, checked on the locked row: the project still permits
 * the spec (400 naming the rule), the last compare found no refused resource (the InvalidSpecError condition),
 * and no sync window blocks a manual sync (409 naming the window).
 */
export async function checkSyncAllowed(deps: Pick<GitopsDeps, 'gitops' | 'access' | 'now'>, app: AppRow) {
  const project = await projectOrThrow(deps, app.project);
  const refusals = await specRefusals(deps, project, app);
  if (refusals.length > 0) throw refusalError(app.project, refusals);
  const invalid = app.conditions.find((c) => c.type === INVALID_SPEC);
  if (invalid)
    throw new AppError('BAD_REQUEST', `Cannot sync "${app.name}": ${invalid.message}`, {
      issues: [{ path: 'spec', message: invalid.message }],
      hint: `Ask an administrator to permit it in project "${app.project}", or change the application.`,
    });
  const window = await windowStateOf(deps, { ...app, server: app.spec.destination.server });
  if (window.state === 'blocked') {
    const names = window.windows.map((w) => `${w.kind} ${w.schedule} ${w.duration}`).join(', ');
    throw new AppError('CONFLICT', `Cannot sync "${app.name}": blocked by sync window ${names} (${window.reason}).`, {
      hint: `Wait for the window to pass (\`keelson proj windows list ${app.project}\`), or ask for manualSync: true on it.`,
    });
  }
}
