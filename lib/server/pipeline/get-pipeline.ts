import { AppError } from '@/lib/errors';
import type { PipelineDeps } from './ports';

export interface PipelineDetail {
  name: string;
  version: number;
  versions: number[];
  document: Record<string, unknown>;
}

/** The newest (or a given) version of a Pipeline, as applied. */
export async function getPipeline(deps: PipelineDeps, name: string, version?: number): Promise<PipelineDetail> {
  const rows = await deps.stores.definitions.versions('Pipeline', name);
  const chosen = version === undefined ? rows[0] : rows.find((r) => r.version === version);
  if (!chosen)
    throw new AppError('NOT_FOUND', `No Pipeline named "${name}"${version ? ` at version ${version}` : ''}.`, {
      hint: 'List pipelines with `keelson pipeline list`.',
    });
  return { name, version: chosen.version, versions: rows.map((r) => r.version), document: chosen.document };
}
