import { accountContracts } from '@/lib/schemas/contracts/accounts';
import { pipelineSettingsDeps } from '@/lib/server/context';
import { getPipelineSettings, updatePipelineSettings } from '@/lib/server/pipeline/pipeline-settings';
import { route } from '../../../_lib/handler';

const C = accountContracts['/api/v1/settings/pipelines'];

/** Where TaskRuns run (`pipelines.executor`); needs `clusters, get, *`. */
export const GET = route({ contract: C.get }, async ({ principal }) =>
  getPipelineSettings(pipelineSettingsDeps(), principal),
);

/** Points pipelines at a registered cluster (or back to the local executor); needs `clusters, update, *`. */
export const PUT = route({ contract: C.put }, async ({ body, principal }) =>
  // The body is checked after the caller is authorized (a refused caller learns nothing of the rules).
  updatePipelineSettings(pipelineSettingsDeps(), principal, body),
);
