import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type PgBoss from 'pg-boss';
import type { DbOrTx } from '@/lib/adapters/db/client';
import type { TransactionJobs } from '@/lib/adapters/db/pipeline-stores';
import { QUEUES, type Boss, type QueueName } from './boss';

/**
 * pg-boss's SQL (text with $1…$n and its values) as a Drizzle query, so it runs on the caller's transaction
 * connection. A placeholder used twice becomes two parameters with the same value.
 */
export function drizzleSql(text: string, values: readonly unknown[]): SQL {
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, i) => chunks.push(i % 2 === 0 ? sql.raw(part) : sql`${values[Number(part) - 1] ?? null}`));
  return sql.join(chunks);
}

/** pg-boss's `db` option over a Drizzle transaction: the job is inserted, or not, with the rest of it. */
export function transactionDb(tx: DbOrTx): PgBoss.Db {
  return { executeSql: async (text, values) => ({ rows: (await tx.execute(drizzleSql(text, values))).rows }) };
}

/**
 * A job id derived from the queue and an idempotency key: pg-boss inserts jobs with `on conflict do nothing`
 * on (queue, id), so sending the same key again (a retried request) queues nothing new while the first job
 * is kept (until pg-boss archives it).
 */
export function jobId(queue: QueueName, key: string): string {
  const h = createHash('sha256').update(`${queue}\n${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The pipeline use cases' job queue on pg-boss; `boss` is resolved on first use (the web starts it lazily). */
export function pgBossPipelineJobs(boss: () => Promise<Boss> | Boss): TransactionJobs {
  const send = async (tx: DbOrTx, queue: QueueName, data: object, key: string) => {
    await (await boss()).send(queue, data, { id: jobId(queue, key), db: transactionDb(tx) });
  };
  return {
    reconcileRun: (tx, runId, key) => send(tx, QUEUES.reconcilePipelineRun, { runId }, key),
    executeTaskRun: (tx, taskRunId, key) => send(tx, QUEUES.executeTaskRun, { taskRunId }, key),
  };
}
