import path from 'node:path';
import { env } from '@/lib/env';
import { deps, secrets } from '../context';
import type { EngineDeps } from './reconcile-pipeline-run';

/** The engine's dependencies in the web process (folders under KEELSON_DATA_DIR). */
export function engineDeps(): EngineDeps {
  const dataDir = path.resolve(env().KEELSON_DATA_DIR);
  return { ...deps(), box: secrets(), runsDir: path.join(dataDir, 'runs'), volumesDir: path.join(dataDir, 'volumes') };
}
