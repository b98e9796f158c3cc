import { AppError } from '@/lib/errors';
import type { Principal } from '../principal';
import { authorizeGet, notFoundFor, type AuthorizedPipelineDeps } from './pipeline-access';

export interface PipelineDetail {
  name: string;
  project: string;
  version: number;
  versions: number[];
  document: Record<string, unknown>;
}

const LIST = 'List pipelines with `keelson pipeline list`.';

/** The newest (or a given) version of a Pipeline, as applied (metadata.namespace: its project). */
export async function getPipeline(
  deps: AuthorizedPipelineDeps,
  principal: Principal,
  name: string,
  version?: number,
): Promise<PipelineDetail> {
  const rows = await deps.stores.definitions.versions('Pipeline', name);
  if (rows[0]) await authorizeGet(deps, principal, 'pipelines', { project: rows[0].project, name });
  else throw await notFoundFor(deps.access, principal, 'pipelines', name, `No Pipeline named "${name}".`, LIST);
  const chosen = version === undefined ? rows[0] : rows.find((r) => r.version === version);
  if (!chosen)
    throw new AppError('NOT_FOUND', `No Pipeline named "${name}"${version ? ` at version ${version}` : ''}.`, {
      hint: LIST,
    });
  const document = { ...chosen.document, metadata: { ...chosen.document.metadata, namespace: chosen.project } };
  return { name, project: chosen.project, version: chosen.version, versions: rows.map((r) => r.version), document };
}
