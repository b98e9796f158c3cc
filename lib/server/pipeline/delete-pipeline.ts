import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import type { PipelineDeps } from './ports';
import { auditBy } from '../audit/audit-via';

/** Deletes every version of a Pipeline; its runs are kept (they carry their own frozen spec). The audit row commits with the delete. */
export async function deletePipeline(deps: PipelineDeps, principal: Principal, name: string): Promise<void> {
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
