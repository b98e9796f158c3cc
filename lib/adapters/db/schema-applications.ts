import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { idColumn, at, ownedBy } from './columns';
import type {
  TApplicationSpec,
  TCommitInfo,
  TCondition,
  THistoryEntry,
  TOperationState,
  TPin,
  TResourceResult,
  TResourceStatus,
  TTreeNode,
} from '@/lib/schemas/applications';
import { OPERATION_INITIAL_PHASE } from '@/lib/domain/gitops/operation-phases';
import { healthStatusEnum, operationPhaseEnum, syncStatusEnum } from './state-enums';

/**
 * Applications (Argo CD model). Spec is stored whole; the columns beside it are copies used to
 * filter and page 10,000 apps with indexes. Status columns are written only by the controller.
 */
export const applications = pgTable(
  'applications',
  {
    id: idColumn(),
    name: text('name').notNull().unique(),
    project: text('project').notNull().default('default'),
    spec: jsonb('spec').$type<TApplicationSpec>().notNull(),
    /** Bumped on every spec change; the controller re-renders when it differs from what it compared. */
    generation: integer('generation').notNull().default(1),
    repoUrl: text('repo_url').notNull(),
    normalizedRepoUrl: text('normalized_repo_url').notNull(),
    targetRevision: text('target_revision').notNull(),
    path: text('path').notNull(),
    clusterName: text('cluster_name').notNull(),
    destNamespace: text('dest_namespace').notNull(),
    automated: boolean('automated').notNull().default(false),
    syncStatus: syncStatusEnum('sync_status').notNull().default('Unknown'),
    healthStatus: healthStatusEnum('health_status').notNull().default('Unknown'),
    healthMessage: text('health_message'),
    /** SHA last compared. */
    revision: text('revision'),
    commit: jsonb('commit').$type<TCommitInfo>(),
    sourceType: text('source_type'),
    resources: jsonb('resources')
      .$type<TResourceStatus[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    conditions: jsonb('conditions')
      .$type<TCondition[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** Per resource key: unified diff and both normalized sides (Secret data masked). */
    diffs: jsonb('diffs')
      .$type<Record<string, { diff: string; live?: string; desired?: string }>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    tree: jsonb('tree')
      .$type<TTreeNode[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    reconciledAt: at('reconciled_at'),
    /** The generation the last comparison used. */
    reconciledGeneration: integer('reconciled_generation'),
    lastSyncedAt: at('last_synced_at'),
    pinned: jsonb('pinned').$type<TPin>(),
    /** 'normal' | 'hard' while a refresh is asked for; the controller clears it. */
    refreshRequested: text('refresh_requested'),
    nextReconcileAt: at('next_reconcile_at').notNull().defaultNow(),
    lastAutoSync: jsonb('last_auto_sync').$type<{
      sha: string;
      paramsHash: string;
      at: number;
      attempts: number;
      succeeded?: boolean;
    }>(),
    /** Set by a delete with cascade: the controller deletes the app's resources, then the row. */
    deletion: jsonb('deletion').$type<{ cascade: boolean; requestedBy: string; requestedAt: string }>(),
    createdBy: text('created_by').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('applications_repo_idx').on(t.normalizedRepoUrl),
    index('applications_health_idx').on(t.healthStatus, t.name),
    index('applications_sync_idx').on(t.syncStatus, t.name),
    index('applications_cluster_idx').on(t.clusterName, t.destNamespace, t.name),
    index('applications_next_idx').on(t.nextReconcileAt),
    index('applications_project_idx').on(t.project, t.name),
  ],
);

/** Sync operations; the controller drives the one without finishedAt, holding a lease while it does. */
export const appOperations = pgTable(
  'app_operations',
  {
    id: idColumn(),
    appId: ownedBy('app_id', () => applications.id),
    phase: operationPhaseEnum('phase').notNull().default(OPERATION_INITIAL_PHASE),
    message: text('message').notNull().default(''),
    operation: jsonb('operation').$type<TOperationState['operation']>().notNull(),
    /** Resolved SHA, fixed when the operation starts. */
    revision: text('revision'),
    /** The SyncPlan (lib/domain/gitops/sync-plan) and the progress nextSyncAction reads. */
    plan: jsonb('plan'),
    progress: jsonb('progress'),
    results: jsonb('results')
      .$type<TResourceResult[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    steps: jsonb('steps').$type<NonNullable<TOperationState['steps']>>(),
    retryCount: integer('retry_count').notNull().default(0),
    nextAttemptAt: at('next_attempt_at'),
    terminateRequested: boolean('terminate_requested').notNull().default(false),
    leaseOwner: text('lease_owner'),
    leaseUntil: at('lease_until'),
    startedAt: at('started_at').notNull().defaultNow(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('app_operations_app_idx').on(t.appId, t.startedAt),
    index('app_operations_open_idx').on(t.finishedAt),
    // At most one open operation per app: a second request (user or auto-sync) fails instead of racing.
    uniqueIndex('app_operations_one_open_idx')
      .on(t.appId)
      .where(sql`finished_at is null`),
  ],
);

/** Deployment history; ids grow per app and the last `revisionHistoryLimit` are kept. */
export const appHistory = pgTable(
  'app_history',
  {
    appId: ownedBy('app_id', () => applications.id),
    id: integer('id').notNull(),
    revision: text('revision').notNull(),
    source: jsonb('source').$type<THistoryEntry['source']>().notNull(),
    deployedAt: at('deployed_at').notNull(),
    deployStartedAt: at('deploy_started_at'),
    initiatedBy: jsonb('initiated_by').$type<THistoryEntry['initiatedBy']>().notNull(),
    commit: jsonb('commit').$type<TCommitInfo>(),
    operationId: uuid('operation_id'),
  },
  (t) => [primaryKey({ columns: [t.appId, t.id] })],
);

/** Git webhook secrets by provider (github, gitlab, bitbucket), sealed with KEELSON_SECRET_KEY. */
export const gitWebhookSecrets = pgTable('git_webhook_secrets', {
  provider: text('provider').primaryKey(),
  sealedSecret: text('sealed_secret').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});
