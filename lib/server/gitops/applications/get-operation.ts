import { AppError } from '@/lib/errors';
import type { TOperationState } from '@/lib/schemas/applications';
import type { Principal } from '../../principal';
import type { GitopsDeps } from '../ports';
import { loadAppFor } from './app-access';
import { toOperationState } from './to-operation-state';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One operation of the app by id, or its newest. Clients follow their own operation by id, so
 * a newer one (an auto-sync right after) does not hide how theirs ended.
 */
export async function getOperation(
  deps: Pick<GitopsDeps, 'gitops' | 'access'>,
  principal: Principal,
  name: string,
  id?: string,
): Promise<TOperationState> {
  const app = await loadAppFor(deps, principal, name, 'get');
  if (id !== undefined && !UUID.test(id))
    throw new AppError('BAD_REQUEST', `id: "${id}" is not an operation id.`, {
      issues: [{ path: 'id', message: 'not a UUID' }],
      hint: 'Use the id returned by sync or rollback.',
    });
  const row = await deps.gitops.operations.latest(app.id, id);
  if (!row)
    throw new AppError('NOT_FOUND', id ? `No operation ${id} on "${name}".` : `No operation has run on "${name}".`, {
      hint: `Start one with \`keelson app sync ${name}\`.`,
    });
  return toOperationState(row);
}
