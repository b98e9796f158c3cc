import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { idColumn, createdAt, ownedBy } from './columns';
import { conditionStatusEnum, taskRunStateEnum } from './state-enums';

import type {
  TCompanionData,
  TDefinitionDocument,
  TFrozenRunSpec,
  TPipelineRunStatus,
  TStoredLogLine,
  TStoredPlanInput,
  TTaskRunStatus,
} from '@/lib/domain/pipeline/stored-schemas';

/** Task, Pipeline and StepAction definitions. Applying a name again adds a version; runs keep theirs. */
export const definitions = pgTable(
  'definitions',
  {
    id: idColumn(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** The project (Tekton: the namespace) the definition belongs to; names stay unique across projects. */
    project: text('project').notNull().default('default'),
    version: integer('version').notNull(),
    /** The whole document as applied (apiVersion, kind, metadata, spec). */
    document: jsonb('document').$type<TDefinitionDocument>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('definitions_kind_name_version_idx').on(t.kind, t.name, t.version)],
);

/** ConfigMap, Secret, PersistentVolumeClaim and Trigger documents applied beside runs: named inputs, not versioned. */
export const companions = pgTable(
  'companions',
  {
    id: idColumn(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** The project (Tekton: the namespace) the document belongs to. */
    project: text('project').notNull().default('default'),
    /** ConfigMap data in clear; Secret data as AES-256-GCM ciphertext; PVC spec. */
    data: jsonb('data').$type<TCompanionData>().notNull(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('companions_kind_name_idx').on(t.kind, t.name)],
);

export const pipelineRuns = pgTable(
  'pipeline_runs',
  {
    id: idColumn(),
    name: text('name').notNull().unique(),
    /** The project (Tekton: the namespace) the run belongs to. */
    project: text('project').notNull().default('default'),
    /** Null for an inline pipelineSpec. */
    pipelineName: text('pipeline_name'),
    pipelineVersion: integer('pipeline_version'),
    /** The PipelineRun spec with the pipeline spec it started with, frozen. */
    spec: jsonb('spec').$type<TFrozenRunSpec>().notNull(),
    /** Tekton-shaped status: conditions, startTime, completionTime, childReferences, skippedTasks, results. */
    status: jsonb('status').$type<TPipelineRunStatus>().notNull(),
    /**
     * The run's state (lib/domain/pipeline/pipeline-run-states) and its reason, copied into the condition
     * of `status` for the API; kept as columns for filtering and paging.
     */
    conditionStatus: conditionStatusEnum('condition_status').notNull().default('Unknown'),
    conditionReason: text('condition_reason').notNull().default('Started'),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /**
     * The run's concurrency group (`<project>/<pipeline>/<key>`, lib/domain/pipeline/concurrency.ts), null when
     * none; a queued run has no startedAt yet. Limit and strategy are the run's own (the newest run's apply).
     */
    concurrencyGroup: text('concurrency_group'),
    concurrencyLimit: integer('concurrency_limit'),
    concurrencyStrategy: text('concurrency_strategy'),
    /**
     * The run's place in its group's queue, given under the group's lock when the group is first settled after
     * the run was written (settle-concurrency-group.ts): the order runs joined the group, which creation times
     * taken before the lock need not be. Null until then.
     */
    concurrencySeq: bigint('concurrency_seq', { mode: 'number' }),
    /** A child PipelineRun (Pipelines in Pipelines): its parent run and pipeline task; null for a top-level run. */
    parentRunId: uuid('parent_run_id').references((): AnyPgColumn => pipelineRuns.id, { onDelete: 'cascade' }),
    parentTask: text('parent_task'),
  },
  (t) => [
    index('pipeline_runs_parent_idx').on(t.parentRunId),
    index('pipeline_runs_concurrency_idx')
      .on(t.concurrencyGroup, t.createdAt)
      .where(sql`${t.concurrencyGroup} is not null and ${t.completedAt} is null`),
    index('pipeline_runs_pipeline_idx').on(t.pipelineName, t.createdAt),
    index('pipeline_runs_created_idx').on(t.createdAt),
    index('pipeline_runs_project_idx').on(t.project, t.createdAt),
    // Run retention: finished top-level runs per pipeline, newest first.
    index('pipeline_runs_retention_idx')
      .on(t.project, t.pipelineName, t.createdAt)
      .where(sql`${t.parentRunId} is null and ${t.completedAt} is not null`),
  ],
);

export const taskRuns = pgTable(
  'task_runs',
  {
    id: idColumn(),
    name: text('name').notNull().unique(),
    pipelineRunId: uuid('pipeline_run_id').references(() => pipelineRuns.id, { onDelete: 'cascade' }),
    /** The project of its PipelineRun, or of the standalone TaskRun. */
    project: text('project').notNull().default('default'),
    pipelineTask: text('pipeline_task'),
    matrixIndex: integer('matrix_index'),
    /** The resolved TaskRunPlan the executor runs. */
    plan: jsonb('plan').$type<TStoredPlanInput>().notNull(),
    /** The source of the TaskRun's condition; transitions in lib/domain/pipeline/task-run-states. */
    state: taskRunStateEnum('state').notNull().default('pending'),
    attempt: integer('attempt').notNull().default(0),
    status: jsonb('status').$type<TTaskRunStatus>().notNull(),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    cancelRequested: text('cancel_requested'),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The executor that claimed it (lib/domain/pipeline/executor-choice.ts); null until claimed. */
    executor: text('executor').$type<'local' | 'kubernetes'>(),
    /** The namespace of its pod (Kubernetes executor; the name is `status.podName`), so a reaper can delete it. */
    podNamespace: text('pod_namespace'),
    /** When housekeeping deleted its log chunks (KEELSON_LOG_RETENTION_DAYS); the run page says so instead of nothing. */
    logsRemovedAt: timestamp('logs_removed_at', { withTimezone: true }),
  },
  (t) => [
    index('task_runs_run_idx').on(t.pipelineRunId),
    // Log retention: finished TaskRuns that still have their logs, oldest first.
    index('task_runs_log_retention_idx')
      .on(t.completedAt)
      .where(sql`${t.logsRemovedAt} is null and ${t.completedAt} is not null`),
    index('task_runs_lease_idx').on(t.state, t.leaseExpiresAt),
    // The Kubernetes claim counts these under its lock (maxConcurrentTaskRuns across all workers).
    index('task_runs_running_executor_idx')
      .on(t.executor)
      .where(sql`${t.state} = 'running'`),
  ],
);

/** Log lines in ordered chunks, so a run's whole log outlives the process that wrote it. */
export const logChunks = pgTable(
  'log_chunks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    taskRunId: ownedBy('task_run_id', () => taskRuns.id),
    step: text('step').notNull(),
    /** [{ at: ISO time, stream: 'stdout' | 'stderr', text }] */
    lines: jsonb('lines').$type<TStoredLogLine[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('log_chunks_task_run_idx').on(t.taskRunId, t.id)],
);

export type PipelineRunRow = typeof pipelineRuns.$inferSelect;
export type TaskRunRow = typeof taskRuns.$inferSelect;

/** Every webhook delivery to a trigger, with what came of it, for the UI and for debugging. */
export const triggerDeliveries = pgTable(
  'trigger_deliveries',
  {
    id: idColumn(),
    trigger: text('trigger').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    event: text('event'),
    /** started | filtered | rejected | error */
    outcome: text('outcome').notNull(),
    httpStatus: integer('http_status').notNull(),
    reason: text('reason'),
    runName: text('run_name'),
    deliveryId: text('delivery_id'),
    /** sha256 of the signed body: GitHub signs only the body, so a replay may come with a new delivery id. */
    payloadDigest: text('payload_digest'),
  },
  (t) => [
    index('trigger_deliveries_trigger_idx').on(t.trigger, t.receivedAt),
    // One started run per delivery: a replay (or two identical deliveries at once) loses the insert race.
    uniqueIndex('trigger_deliveries_started_delivery_idx')
      .on(t.trigger, t.deliveryId)
      .where(sql`${t.outcome} = 'started' and ${t.deliveryId} is not null`),
    uniqueIndex('trigger_deliveries_started_payload_idx')
      .on(t.trigger, t.payloadDigest)
      .where(sql`${t.outcome} = 'started' and ${t.payloadDigest} is not null`),
    index('trigger_deliveries_received_idx').on(t.receivedAt),
  ],
);
