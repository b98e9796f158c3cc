/**
 * Applications in Argo CD's field names (`argoproj.io/v1alpha1`), shared by the API, the CLI, the
 * controller and the UI. Input schemas are zod; status shapes are plain types written by the controller.
 */
import { z } from 'zod';
import { ZApplicationSource } from './application-source';
import { HEALTH_STATUSES, type HealthStatusCode } from '@/lib/domain/gitops/health-statuses';
import type { OperationPhase } from '@/lib/domain/gitops/operation-phases';
import { SYNC_STATUSES, type SyncStatusCode } from '@/lib/domain/gitops/sync-statuses';

const ZName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'use lowercase letters, digits and - (a DNS-1123 label)')
  .max(63);

/*
 * Objects are strict: a field Keelson does not know is refused with its path rather than dropped.
 * The source's fields are in application-source.ts.
 */
export { ZApplicationSource, ZDirectorySource, ZHelmSource, ZKustomizeSource } from './application-source';

export const ZApplicationDestination = z
  .strictObject({
    /** A registered cluster's name. */
    name: z.string().optional(),
    /** A registered cluster's API server URL (Argo CD accepts either). */
    server: z.string().optional(),
    namespace: z.string().default(''),
  })
  .refine((d) => Boolean(d.name || d.server), {
    message: 'give destination.name (a registered cluster) or destination.server',
    path: ['name'],
  });

export const ZBackoff = z.strictObject({
  duration: z.union([z.string(), z.number()]).transform(String).default('5s'),
  factor: z.number().positive().default(2),
  maxDuration: z.union([z.string(), z.number()]).transform(String).default('3m'),
});

export const ZSyncPolicy = z.strictObject({
  automated: z
    .strictObject({
      prune: z.boolean().default(false),
      selfHeal: z.boolean().default(false),
      allowEmpty: z.boolean().default(false),
      /** Argo CD 3: `enabled: false` keeps the settings but syncs only by hand. */
      enabled: z.boolean().optional(),
    })
    .optional(),
  syncOptions: z.array(z.string().regex(/^[A-Za-z]+=[^=]+$/, 'use Name=value, e.g. CreateNamespace=true')).default([]),
  retry: z.strictObject({ limit: z.number().int().default(0), backoff: ZBackoff.optional() }).optional(),
  /** Labels and annotations of the namespace CreateNamespace=true creates (and keeps). */
  managedNamespaceMetadata: z
    .strictObject({
      labels: z.record(z.string(), z.string()).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
});

/** The automated policy in force: none when absent or `enabled: false` (Argo CD 3). */
export function activeAutomation(policy: {
  automated?: { enabled?: boolean; prune: boolean; selfHeal: boolean; allowEmpty: boolean };
}) {
  return policy.automated && policy.automated.enabled !== false ? policy.automated : undefined;
}

export const ZIgnoreDifference = z.strictObject({
  group: z.string().default(''),
  kind: z.string().min(1),
  name: z.string().optional(),
  namespace: z.string().optional(),
  jsonPointers: z.array(z.string()).optional(),
  /** jq path expressions (e.g. `.webhooks[]?.clientConfig.caBundle`): what they select is left out of the diff. */
  jqPathExpressions: z.array(z.string().min(1)).optional(),
  /** Fields these field managers own in the live object (metadata.managedFields) are left out of the diff. */
  managedFieldsManagers: z.array(z.string().min(1)).optional(),
});

export const ZApplicationSpec = z.strictObject({
  project: z.string().default('default'),
  source: ZApplicationSource,
  destination: ZApplicationDestination,
  syncPolicy: ZSyncPolicy.default({ syncOptions: [] }),
  revisionHistoryLimit: z.number().int().min(1).max(100).default(10),
  ignoreDifferences: z.array(ZIgnoreDifference).default([]),
  /** Free-form name/value pairs shown with the app (Argo CD's info). */
  info: z.array(z.strictObject({ name: z.string(), value: z.string() })).optional(),
});
export type TApplicationSpec = z.infer<typeof ZApplicationSpec>;
export type TApplicationSpecInput = z.input<typeof ZApplicationSpec>;

/** An Argo CD Application document (apiVersion/kind optional through the API, checked when present). */
export const ZApplicationDocument = z.object({
  apiVersion: z.literal('argoproj.io/v1alpha1', { message: 'use apiVersion: argoproj.io/v1alpha1' }).optional(),
  kind: z.literal('Application', { message: 'use kind: Application' }).optional(),
  metadata: z.looseObject({ name: ZName, namespace: z.string().optional() }),
  spec: ZApplicationSpec,
});
export type TApplicationDocument = z.infer<typeof ZApplicationDocument>;
export type TApplicationDocumentInput = z.input<typeof ZApplicationDocument>;

/** One resource picked for a selective sync; `KIND:NAME` and `GROUP:KIND:NAME` on the CLI. */
export const ZSyncResource = z.object({
  group: z.string().default(''),
  kind: z.string().min(1),
  name: z.string().min(1),
  namespace: z.string().optional(),
});
export type TSyncResource = z.infer<typeof ZSyncResource>;

/** Body of POST /api/v1/applications/{name}/sync. */
export const ZSyncRequest = z.object({
  /** A branch, tag or SHA; default: the app's targetRevision (or its pinned revision). */
  revision: z.string().optional(),
  prune: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** Selective sync (no hooks run). */
  resources: z.array(ZSyncResource).optional(),
  /** Extra sync options for this operation only, e.g. ApplyOutOfSyncOnly=true. */
  syncOptions: z.array(z.string()).default([]),
});
export type TSyncRequest = z.infer<typeof ZSyncRequest>;

export const ZRollbackRequest = z.object({
  id: z.number().int().min(0),
  prune: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  /** Shown on the pinned banner; default "rolled back by <user>". */
  reason: z.string().max(500).optional(),
});
export type TRollbackRequest = z.infer<typeof ZRollbackRequest>;

export { SYNC_STATUSES };
export type TSyncStatus = SyncStatusCode;
/** The health statuses, from lib/domain/gitops/health-statuses (the one list). */
export const APP_HEALTH = HEALTH_STATUSES;
export type THealthStatus = HealthStatusCode;

export const ZListApplicationsQuery = z.object({
  health: z.enum(APP_HEALTH).optional(),
  sync: z.enum(SYNC_STATUSES).optional(),
  cluster: z.string().optional(),
  namespace: z.string().optional(),
  /** Substring of the name, case-insensitive. */
  search: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TListApplicationsQuery = z.infer<typeof ZListApplicationsQuery>;

export type TOperationPhase = OperationPhase;

export interface TCondition {
  /** ComparisonError, InvalidSpecError, SyncError, UnknownError, OrphanedResourceWarning… (Argo CD's names). */
  type: string;
  message: string;
  lastTransitionTime: string;
}

export interface TResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: TSyncStatus;
  health?: { status: THealthStatus; message?: string };
  /** Live, tracked by the app, no longer in Git. */
  requiresPrune?: boolean;
  hook?: boolean;
  syncWave?: number;
}

export interface TResourceResult {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  status: 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
  message: string;
  hookPhase?: string;
  syncPhase: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
  /** Sync wave of the task, for progress per wave. */
  wave?: number;
}

export interface TCommitInfo {
  sha: string;
  message: string;
  author: string;
  date: string;
}

export interface TOperationState {
  id: string;
  operation: {
    sync: { revision: string; prune: boolean; dryRun: boolean; resources?: TSyncResource[]; syncOptions: string[] };
    initiatedBy: { username?: string; automated?: boolean };
    /** Set on rollbacks: the history id rolled back to. */
    rollbackTo?: number;
  };
  phase: TOperationPhase;
  message: string;
  syncResult?: { revision: string; resources: TResourceResult[] };
  /** Planned steps, for progress per wave: phase, wave and the resource keys in it. */
  steps?: { phase: string; wave: number; done: number; total: number }[];
  startedAt: string;
  finishedAt?: string;
  retryCount: number;
}

export interface THistoryEntry {
  id: number;
  revision: string;
  source: z.infer<typeof ZApplicationSource>;
  deployedAt: string;
  deployStartedAt?: string;
  initiatedBy: { username?: string; automated?: boolean };
  commit?: TCommitInfo;
}

export interface TPin {
  revision: string;
  historyId?: number;
  reason: string;
  by: string;
  at: string;
}

/**
 * Whether the app's project sync windows let it sync now: `allowed` (automated and manual), `manual-only`
 * (a person may sync: the blocking windows have manualSync), `blocked`; `windows` are the ones deciding.
 */
export interface TSyncWindowState {
  state: 'allowed' | 'blocked' | 'manual-only';
  reason: string;
  windows: { kind: 'allow' | 'deny'; schedule: string; duration: string; timeZone?: string; manualSync: boolean }[];
}

/** One row of GET /api/v1/applications. */
export interface TApplicationSummary {
  name: string;
  project: string;
  repoURL: string;
  path: string;
  targetRevision: string;
  cluster: string;
  namespace: string;
  sync: TSyncStatus;
  health: THealthStatus;
  healthMessage?: string;
  /** SHA last compared. */
  revision?: string;
  automated: boolean;
  pinned?: TPin;
  operationPhase?: TOperationPhase;
  lastSyncedAt?: string;
  reconciledAt?: string;
  conditions: number;
  /** The sync windows of the app's project, now. */
  syncWindow?: TSyncWindowState;
}

export interface TApplicationList {
  items: TApplicationSummary[];
  total: number;
  limit: number;
  offset: number;
  /** Counts over all apps matching the search (not the other filters), for filter chips. */
  facets: { health: Record<string, number>; sync: Record<string, number> };
}

export interface TApplicationStatus {
  sync: { status: TSyncStatus; revision?: string };
  health: { status: THealthStatus; message?: string };
  resources: TResourceStatus[];
  conditions: TCondition[];
  reconciledAt?: string;
  sourceType?: 'Directory' | 'Kustomize' | 'Helm';
  commit?: TCommitInfo;
  operationState?: TOperationState;
  history: THistoryEntry[];
  pinned?: TPin;
  /** Set while a refresh is asked for and the controller has not done it yet. */
  refreshRequested?: 'normal' | 'hard';
  /** Set while a cascading delete is in progress. */
  deletion?: { cascade: boolean; requestedBy: string; requestedAt: string };
  lastSyncedAt?: string;
  /** The sync windows of the app's project, now (Keelson's; Argo CD serves them from a separate call). */
  syncWindow?: TSyncWindowState;
  /**
   * Untracked top-level resources of the app's namespace, when its project sets orphanedResources (Argo CD lists
   * them as the tree's orphanedNodes; with warn, the OrphanedResourceWarning condition counts them).
   */
  orphanedResources?: { group: string; kind: string; namespace: string; name: string }[];
}

/** GET /api/v1/applications/{name}: the Argo CD shape plus Keelson's pin. */
export interface TApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: { name: string; namespace: string; creationTimestamp: string; generation: number; createdBy: string };
  spec: TApplicationSpec;
  status: TApplicationStatus;
}

/** A node of the resource tree: app resources and their owned children (ReplicaSets, Pods…). */
export interface TTreeNode {
  /** `group/kind/namespace/name`, unique in the tree. */
  key: string;
  uid?: string;
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  /** Keys of parents; empty for the app's own resources. */
  parents: string[];
  health?: { status: THealthStatus; message?: string };
  /** Only the app's own resources have a sync status. */
  sync?: TSyncStatus;
  requiresPrune?: boolean;
  createdAt?: string;
  /** Short facts for the node: images, replicas, pod phase. */
  info?: string[];
  /** An orphaned resource of the app's namespace (the project's orphanedResources), not one of the app's. */
  orphaned?: boolean;
}

export interface TResourceTree {
  nodes: TTreeNode[];
  /** Argo CD's orphanedNodes: set when the app's project monitors orphaned resources. */
  orphanedNodes?: TTreeNode[];
}

/** GET /api/v1/applications/{name}/resource?group=&kind=&namespace=&name= */
export interface TResourceDetail {
  key: string;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  status?: TSyncStatus;
  health?: { status: THealthStatus; message?: string };
  /** Normalized YAML (Secret data masked). */
  liveManifest?: string;
  desiredManifest?: string;
  /** Unified diff live → desired; '' when in sync. */
  diff: string;
  events: { type: string; reason: string; message: string; count: number; lastTimestamp?: string }[];
}

/** Git webhook secrets, per provider (Settings → Webhooks). Never returned, only whether set. */
export const GIT_PROVIDERS = ['github', 'gitlab', 'bitbucket'] as const;
export type TGitProvider = (typeof GIT_PROVIDERS)[number];
export const ZSetWebhookSecret = z.object({ secret: z.string().min(8, 'use at least 8 characters').max(512) });

/** Body of POST /api/v1/applications/{name}/refresh. */
export const ZRefreshRequest = z.object({ hard: z.boolean().default(false) });

/** GET /api/v1/settings/webhooks: one row per provider; the secret itself is never returned. */
export interface TWebhookSecretStatus {
  provider: TGitProvider;
  configured: boolean;
  updatedBy?: string;
  updatedAt?: string;
}

/** One resource of GET /api/v1/applications/{name}/diff (`keelson app diff`): its status plus the diff. */
export type TAppDiffEntry = TResourceStatus & {
  key: string;
  /** Unified diff live → desired; '' when in sync. */
  diff: string;
};

export interface TAppDiff {
  name: string;
  revision?: string;
  /** True when any resource is OutOfSync (what `keelson app diff` exits 1 on). */
  hasDiff: boolean;
  items: TAppDiffEntry[];
}

/** Answer of POST /api/webhooks/git. */
export interface TGitPushResult {
  provider: TGitProvider;
  /** How many applications were asked to refresh (a count only: anyone may post here, names are not theirs to see). */
  refreshed: number;
  /** Why nothing was done, for events that are not pushes. */
  ignored?: string;
}
