import PgBoss from 'pg-boss';

/** Every queue Keelson uses; created at start-up because pg-boss v10 needs queues to exist before use. */
export const QUEUES = {
  housekeeping: 'housekeeping',
  /** { runId }: decide what a PipelineRun does next. */
  reconcilePipelineRun: 'pipelinerun-reconcile',
  /** { taskRunId }: run a pending TaskRun (claims are idempotent, so duplicates are harmless). */
  executeTaskRun: 'taskrun-execute',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export type Boss = PgBoss;

export async function startBoss(
  url: string,
  options: { schedule?: boolean; supervise?: boolean } = {},
): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 4,
    schedule: options.schedule ?? false,
    supervise: options.supervise ?? false,
  });
  // pg-boss reports background errors as events; without a listener Node would throw them.
  boss.on('error', (err) => console.error(`[queue] ${err.message}`));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    // Long TaskRuns hold their job; leases, not pg-boss expiry, decide when a worker is gone.
    if (!(await boss.getQueue(name))) await boss.createQueue(name, { name, expireInSeconds: 23 * 3600, retryLimit: 2 });
  }
  return boss;
}

/** Jobs waiting, by queue name (every name of QUEUES). */
export async function queueDepth(boss: PgBoss): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.values(QUEUES).map(async (name) => [name, await boss.getQueueSize(name)] as const),
  );
  return Object.fromEntries(entries);
}
