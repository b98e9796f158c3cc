import { createLocalHost } from '../../../lib/adapters/executors/local';
import { parseEnv } from '../../../lib/env';

/**
 * The local executor's per-process resources for this test file (its spawner helper, ready folders
 * and networks), as workers/pipelines.ts builds them for a worker: one, shared by every executor here.
 */
const e = parseEnv();
export const testLocalHost = createLocalHost({
  spawner: e.KEELSON_STEP_SPAWNER,
  stepNice: e.KEELSON_STEP_NICE,
  searchPath: e.PATH,
});
