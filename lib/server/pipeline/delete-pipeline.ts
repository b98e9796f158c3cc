import { and, eq } from 'drizzle-orm';
import { definitions } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import { recordAudit } from '../audit';
import type { Deps } from '../deps';
import type { Principal } from '../principal';

/** Deletes every version of a Pipeline; its runs are kept (they carry their own frozen spec). The audit row commits with the delete. */
export async function deletePipeline(deps: Deps, principal: Principal, name: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const deleted = await tx
      .delete(definitions)
      .where(and(eq(definitions.kind, 'Pipeline'), eq(definitions.name, name)))
      .returning({ id: definitions.id });
    if (deleted.length === 0)
      throw new AppError('NOT_FOUND', `No Pipeline named "${name}".`, {
        hint: 'List pipelines with `keelson pipeline list`.',
      });
    await recordAudit(
      { db: tx, now: deps.now },
      { actor: principal.username, action: 'pipeline.delete', target: `pipeline/${name}`, result: 'success' },
    );
  });
}
