import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { auditBy } from '../audit/audit-via';
import { notFoundFor, objectOf, type AuthorizedPipelineDeps } from './pipeline-access';

/** Deletes every version of a Pipeline; its runs are kept (they carry their own frozen spec). The audit row commits with the delete. */
export async function deletePipeline(deps: AuthorizedPipelineDeps, principal: Principal, name: string): Promise<void> {
  const [newest] = await deps.stores.definitions.versions('Pipeline', name);
  if (!newest)
    throw await notFoundFor(
      deps.access,
      principal,
      'pipelines',
      name,
      `No Pipeline named "${name}".`,
      'List pipelines with `keelson pipeline list`.',
    );
  await deps.access.authorize(principal, 'pipelines', 'delete', objectOf(newest.project, name));
  await deps.stores.transaction(async (tx) => {
    const deleted = await tx.definitions.deleteAll('Pipeline', name);
    if (deleted === 0)
      throw new AppError('NOT_FOUND', `No Pipeline named "${name}".`, {
        hint: 'List pipelines with `keelson pipeline list`.',
      });
    await tx.audit.record({
      ...auditBy(principal),
      action: 'pipeline.delete',
      target: `pipeline/${name}`,
      result: 'success',
    });
  });
}
