import { AppError } from '@/lib/errors';
import type { AppRow, GitopsDeps } from '../ports';

export type ApplicationRow = AppRow;

export function noSuchApplication(name: string): AppError {
  return new AppError('NOT_FOUND', `No application named "${name}".`, {
    hint: 'List applications with `keelson app list`.',
  });
}

/** The whole row, or 404. */
export async function loadApplication(deps: Pick<GitopsDeps, 'gitops'>, name: string): Promise<ApplicationRow> {
  const row = await deps.gitops.apps.findByName(name);
  if (!row) throw noSuchApplication(name);
  return row;
}
