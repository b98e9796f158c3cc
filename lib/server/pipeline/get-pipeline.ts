import { and, desc, eq } from 'drizzle-orm';
import { definitions } from '@/lib/adapters/db/schema';
import { AppError } from '@/lib/errors';
import type { Deps } from '../deps';

export interface PipelineDetail {
  name: string;
  version: number;
  versions: number[];
  document: Record<string, unknown>;
}

/** The newest (or a given) version of a Pipeline, as applied. */
export async function getPipeline(deps: Deps, name: string, version?: number): Promise<PipelineDetail> {
  const rows = await deps.db
    .select({ version: definitions.version, document: definitions.document })
    .from(definitions)
    .where(and(eq(definitions.kind, 'Pipeline'), eq(definitions.name, name)))
    .orderBy(desc(definitions.version));
  const chosen = version === undefined ? rows[0] : rows.find((r) => r.version === version);
  if (!chosen)
    throw new AppError('NOT_FOUND', `No Pipeline named "${name}"${version ? ` at version ${version}` : ''}.`, {
      hint: 'List pipelines with `keelson pipeline list`.',
    });
  return { name, version: chosen.version, versions: rows.map((r) => r.version), document: chosen.document };
}
