import { pipelineSettingsDeps } from '@/lib/server/context';
import { getPipelineSettings, updatePipelineSettings } from '@/lib/server/pipeline/pipeline-settings';
import { route } from '../../../_lib/handler';
import { readJsonBody } from '../../../_lib/read-json-body';
import { z } from 'zod';

/** Where TaskRuns run (`pipelines.executor`); needs `clusters, get, *`. */
export const GET = route({}, async ({ principal }) => getPipelineSettings(pipelineSettingsDeps(), principal));

/** Points pipelines at a registered cluster (or back to the local executor); needs `clusters, update, *`. */
export const PUT = route({}, async ({ req, principal }) =>
  // The body is checked after the caller is authorized (a refused caller learns nothing of the rules).
  updatePipelineSettings(pipelineSettingsDeps(), principal, await readJsonBody(req, z.unknown(), 16 * 1024)),
);
