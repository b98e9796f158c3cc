import { pgEnum } from 'drizzle-orm/pg-core';
import { HEALTH_STATUSES } from '@/lib/domain/gitops/health-statuses';
import { OPERATION_PHASES } from '@/lib/domain/gitops/operation-phases';
import { SYNC_STATUSES } from '@/lib/domain/gitops/sync-statuses';
import { CONDITION_STATUSES } from '@/lib/domain/pipeline/pipeline-run-states';
import { TASK_RUN_STATES } from '@/lib/domain/pipeline/task-run-states';

/**
 * Every state machine's Postgres enum, built from the domain's one list of it
 * (lib/domain/pipeline/*-states.ts, lib/domain/gitops/*-statuses.ts, operation-phases.ts).
 */
export const taskRunStateEnum = pgEnum('task_run_state', TASK_RUN_STATES);
export const conditionStatusEnum = pgEnum('condition_status', CONDITION_STATUSES);
export const syncStatusEnum = pgEnum('sync_status', SYNC_STATUSES);
export const healthStatusEnum = pgEnum('health_status', HEALTH_STATUSES);
export const operationPhaseEnum = pgEnum('operation_phase', OPERATION_PHASES);
