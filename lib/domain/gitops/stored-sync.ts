/**
 * The sync plan and progress as an operation row stores them (jsonb): parsed with these schemas when
 * read back, so a row written by an older or broken controller fails loudly instead of steering a sync.
 */
import { z } from 'zod';
import { HEALTH_STATUSES, type HealthStatus } from './health/types';
import { SYNC_PHASES } from './hooks';
import { ZKubeObject } from './k8s-object';
import type { SyncProgress } from './sync-operation';
import type { SyncPlan } from './sync-plan';

const ZSyncPhase = z.enum(SYNC_PHASES);

const ZSyncTask = z.object({
  id: z.string(),
  key: z.string(),
  action: z.enum(['apply', 'prune', 'hook']),
  phase: ZSyncPhase,
  wave: z.number(),
  obj: ZKubeObject,
  hookDeletePolicies: z.array(z.enum(['HookSucceeded', 'HookFailed', 'BeforeHookCreation'])).optional(),
  pruneSkipped: z.string().optional(),
});

export const ZSyncPlan: z.ZodType<SyncPlan> = z.object({
  steps: z.array(z.object({ phase: ZSyncPhase, wave: z.number(), tasks: z.array(ZSyncTask) })),
  syncFail: z.array(ZSyncTask),
});

const ZHealthStatus: z.ZodType<HealthStatus> = z.object({
  status: z.enum(HEALTH_STATUSES),
  message: z.string().optional(),
});

export const ZSyncProgress: z.ZodType<SyncProgress> = z.object({
  results: z.record(
    z.string(),
    z.object({
      status: z.enum(['Synced', 'SyncFailed', 'Pruned', 'PruneSkipped']),
      message: z.string().optional(),
      hookPhase: z.enum(['Running', 'Succeeded', 'Failed', 'Error', 'Terminating']).optional(),
    }),
  ),
  health: z.record(z.string(), ZHealthStatus),
  deleting: z.array(z.string()).optional(),
  terminate: z.boolean().optional(),
});

/** A stored plan, or null when the operation has none yet. */
export const parseStoredPlan = (value: unknown): SyncPlan | null => (value == null ? null : ZSyncPlan.parse(value));

/** Stored progress; none yet is an empty one. */
export const parseStoredProgress = (value: unknown): SyncProgress =>
  value == null ? { results: {}, health: {} } : ZSyncProgress.parse(value);
