import { afterAll } from 'vitest';
import { startBoss, type Boss } from '../../../lib/adapters/queue/boss';
import { pgBossPipelineJobs } from '../../../lib/adapters/queue/pipeline-jobs';
import type { TransactionJobs } from '../../../lib/adapters/db/pipeline-stores';

export interface TestJobs {
  jobs: TransactionJobs;
  /** The real pg-boss on the test database, started on first use. */
  boss: () => Promise<Boss>;
}

/** The real job queue (pg-boss) on a test file's database; nothing works its jobs unless a test does. */
export function testJobs(url: () => string): TestJobs {
  let started: Promise<Boss> | undefined;
  const boss = () => (started ??= startBoss(url()));
  afterAll(async () => {
    if (started) await (await started).stop({ graceful: false, wait: true });
  });
  return { jobs: pgBossPipelineJobs(boss), boss };
}
