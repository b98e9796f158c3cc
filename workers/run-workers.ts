import { writeFile } from 'node:fs/promises';
import { connectDb } from '@/lib/adapters/db/client';
import { startBoss } from '@/lib/adapters/queue/boss';
import { registerHousekeeping } from './housekeeping';

export interface WorkerOptions {
  databaseUrl: string;
  housekeepingCron: string;
  /** Touched every few seconds while the workers run, for container health checks. */
  heartbeatFile?: string;
  log?: (line: string) => void;
}

export interface RunningWorkers {
  stop(): Promise<void>;
}

/** Starts every worker of this process on one pg-boss instance; `stop` finishes or releases current jobs. */
export async function runWorkers(options: WorkerOptions): Promise<RunningWorkers> {
  const log = options.log ?? ((l: string) => console.log(l));
  const handle = connectDb(options.databaseUrl, { max: 5 });
  const boss = await startBoss(options.databaseUrl, { schedule: true, supervise: true });
  const deps = { db: handle.db, now: () => new Date() };
  await registerHousekeeping(boss, deps, options.housekeepingCron);
  log(`[workers] ready: housekeeping (${options.housekeepingCron})`);
  const beat = () => options.heartbeatFile && writeFile(options.heartbeatFile, new Date().toISOString()).catch(() => undefined);
  void beat();
  const heartbeat = setInterval(beat, 10_000);
  return {
    async stop() {
      clearInterval(heartbeat);
      // graceful: wait up to 20 s for running handlers; jobs still active after that expire and are retried.
      await boss.stop({ graceful: true, wait: true, timeout: 20_000 });
      await handle.close();
      log('[workers] stopped');
    },
  };
}
