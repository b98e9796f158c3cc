/**
 * What the gitops use cases and the controller need from the outside world, as small interfaces.
 * Drizzle, simple-git and client-node implement them in lib/adapters; the composition roots
 * (workers/gitops.ts through createGitopsController, the web context) wire them.
 */
import type { appHistory, applications, appOperations, clusters, repositories } from '@/lib/adapters/db/schema';
import type { CommitInfo, RepoRef } from '@/lib/adapters/git';
import type { RenderResult, RenderSourceSpec } from '@/lib/adapters/render';
import type { KubeObject } from '@/lib/domain/gitops';
import type { TListApplicationsQuery, TOperationState } from '@/lib/schemas/applications';
import type { AccessDeps } from '../access/ports';
import type { AuditTrail } from '../audit';
import type { ApplicationColumns } from './applications/validate-application';

export type AppRow = typeof applications.$inferSelect;
/** An app as the controller reads it: without the stored comparison (resources, diffs, tree), which it only writes. */
export type ControlledApp = Omit<AppRow, 'resources' | 'diffs' | 'tree'>;
export type OperationRow = typeof appOperations.$inferSelect;
export type HistoryRow = typeof appHistory.$inferSelect;
export type NewHistoryRow = typeof appHistory.$inferInsert;
export type ClusterRow = typeof clusters.$inferSelect;
export type RepositoryRow = typeof repositories.$inferSelect;
/**
 * The status columns a refresh or an operation writes on the app. `refreshRequested: { clearIf }` clears the request a
 * compare answered: only if it is still that level and was not asked again since (a request sets nextReconcileAt to
 * its time, so a changed one is a new request, which stays, with its time). `{ ask, askedAt }` asks a refresh dated
 * `askedAt` unless one is pending already, which keeps its level (a hard one stays hard) and its time.
 */
export type AppStatusPatch = Omit<Partial<typeof applications.$inferInsert>, 'refreshRequested'> & {
  refreshRequested?:
    | AppRow['refreshRequested']
    | { clearIf: { level: NonNullable<AppRow['refreshRequested']>; askedAt: Date } }
    | { ask: 'normal'; askedAt: Date };
};

/** The narrow columns of one row of the applications list (never spec, resources, diffs or tree). */
export interface AppSummaryRow {
  id: string;
  name: string;
  project: AppRow['project'];
  repoURL: AppRow['repoUrl'];
  path: AppRow['path'];
  targetRevision: AppRow['targetRevision'];
  cluster: AppRow['clusterName'];
  namespace: AppRow['destNamespace'];
  sync: AppRow['syncStatus'];
  health: AppRow['healthStatus'];
  healthMessage: AppRow['healthMessage'];
  revision: AppRow['revision'];
  automated: AppRow['automated'];
  pinned: AppRow['pinned'];
  lastSyncedAt: AppRow['lastSyncedAt'];
  reconciledAt: AppRow['reconciledAt'];
  /** How many conditions the app has. */
  conditions: number;
}

/** What the list filters by and authorizes on, for every candidate row. */
export interface AppKeyRow {
  id: string;
  name: string;
  project: AppRow['project'];
  health: AppRow['healthStatus'];
  sync: AppRow['syncStatus'];
  cluster: AppRow['clusterName'];
  namespace: AppRow['destNamespace'];
}

/** One page of applications, the total, and the facet counts (over the name search only). */
export interface AppPage {
  rows: AppSummaryRow[];
  total: number;
  health: { key: string; n: number }[];
  sync: { key: string; n: number }[];
}

/** Applications as the controller and the use cases read and write them. */
export interface ApplicationStore {
  /** Writes a refresh's outcome (or any status columns) on one app. */
  saveStatus(appId: string, patch: AppStatusPatch): Promise<void>;
  /** Asks for a refresh, keeping a hard one already asked for. */
  requestRefresh(appId: string): Promise<void>;
  findByName(name: string): Promise<AppRow | undefined>;
  /** The row without its stored comparison (the large columns): what the controller works from, per refresh. */
  findControlled(name: string): Promise<ControlledApp | undefined>;
  /** The row, locked for the rest of the transaction (`select … for update`). */
  lockByName(name: string): Promise<AppRow | undefined>;
  /** Inserts a new app with a normal refresh asked; false when the name is taken. */
  insertIfAbsent(cols: ApplicationColumns, createdBy: string, now: Date): Promise<boolean>;
  /**
   * New spec, refresh asked (a hard one kept); the generation moves only when the spec really changed.
   * False when no app has that name.
   */
  replaceSpec(cols: ApplicationColumns, now: Date): Promise<boolean>;
  /** Deletes the app (its operations and history with it); false when there was none. */
  deleteByName(name: string): Promise<boolean>;
  setDeletion(appId: string, deletion: NonNullable<AppRow['deletion']>, now: Date): Promise<void>;
  /** Asks a refresh of the named app (`hard`, or normal without downgrading a hard one): the level now asked. */
  requestRefreshByName(name: string, hard: boolean, now: Date): Promise<AppRow['refreshRequested'] | undefined>;
  pin(appId: string, pinned: NonNullable<AppRow['pinned']>, now: Date): Promise<void>;
  /** Removes the pin and asks a refresh; false when no app has that name. */
  unpin(name: string, now: Date): Promise<boolean>;
  /** One page by name; filters and order follow the (status, name) and (cluster, namespace, name) indexes. */
  page(q: TListApplicationsQuery): Promise<AppPage>;
  /** Every app whose name contains `search` (all without one), keys and list-filter columns only, by name. */
  listKeys(search?: string): Promise<AppKeyRow[]>;
  /** The list rows of these apps, by name. */
  summaries(ids: readonly string[]): Promise<AppSummaryRow[]>;
  /**
   * Names of apps with a refresh or deletion asked, a reconcile due, or a spec not yet reconciled: the first `limit`
   * by name (after `after`, to read on where the last page ended).
   */
  dueForRefresh(now: Date, limit: number, after?: string): Promise<string[]>;
  deleteById(appId: string): Promise<void>;
  /**
   * Apps (not being deleted) whose repository's match key (repoMatchKey of the normalized URL) is one of
   * `keys`, with the revision they follow.
   */
  followingRepos(keys: readonly string[]): Promise<Pick<AppRow, 'name' | 'targetRevision'>[]>;
  /** Asks a refresh of these apps now, keeping a hard one already asked for. */
  requestRefreshOf(names: readonly string[], now: Date): Promise<void>;
}

/** The deployment history of the apps. */
export interface HistoryStore {
  /** An app's history, newest first. */
  ofApp(appId: string): Promise<HistoryRow[]>;
  /**
   * Appends an entry with the next id and deletes those beyond the newest `keep`; writers of one app are
   * serialized by a transaction lock, so call it in a transaction (GitopsStores.transaction).
   */
  append(entry: Omit<NewHistoryRow, 'id'>, keep: number): Promise<void>;
}

export type ClusterSummary = Pick<ClusterRow, 'id' | 'name' | 'server' | 'serverVersion'>;

/** The registered clusters. */
export interface ClusterStore {
  list(): Promise<Pick<ClusterRow, 'name' | 'server'>[]>;
  /** Every cluster with its creation time, by name. */
  listByName(): Promise<(ClusterSummary & Pick<ClusterRow, 'createdAt'>)[]>;
  find(name: string): Promise<ClusterRow | undefined>;
  insert(
    row: Pick<ClusterRow, 'name' | 'server' | 'serverVersion' | 'sealedCredentials' | 'createdBy' | 'createdAt'>,
  ): Promise<ClusterSummary>;
  /** False when no cluster has that name. */
  deleteByName(name: string): Promise<boolean>;
}

/** The registered repositories' sealed credentials. */
export interface RepositoryCredentials {
  sealedCredentials(normalizedUrl: string): Promise<string | null>;
}

/** The registered repositories. */
export interface RepositoryStore extends RepositoryCredentials {
  /** Every repository, by URL. */
  list(): Promise<RepositoryRow[]>;
  exists(normalizedUrl: string): Promise<boolean>;
  insert(
    row: Pick<RepositoryRow, 'url' | 'normalizedUrl' | 'sealedCredentials' | 'createdBy' | 'createdAt'>,
  ): Promise<Pick<RepositoryRow, 'id' | 'url'>>;
  /** The removed repository's URL, or undefined when none has that normalized URL. */
  deleteByNormalizedUrl(normalizedUrl: string): Promise<string | undefined>;
}

/** A git provider's webhook secret, as stored (sealed). */
export interface WebhookSecretRow {
  provider: string;
  sealedSecret: string;
  updatedBy: string;
  updatedAt: Date;
}

/** The git providers' webhook secrets. */
export interface WebhookSecretStore {
  list(): Promise<Omit<WebhookSecretRow, 'sealedSecret'>[]>;
  sealed(provider: string): Promise<string | undefined>;
  /** Sets the provider's secret (replacing one already set). */
  upsert(row: WebhookSecretRow): Promise<void>;
  /** False when none was set. */
  delete(provider: string): Promise<boolean>;
}

/** The stored sync plan and progress, and the fields written as an operation advances. */
export interface OperationProgressPatch {
  plan?: unknown;
  progress?: unknown;
  revision?: string;
  results?: OperationRow['results'];
  steps?: OperationRow['steps'];
  message?: string;
  phase?: OperationRow['phase'];
}

/** Sync operations and their lease: one controller drives an operation at a time. */
export interface OperationStore {
  /** The app's operation without finishedAt, if any. */
  findOpen(appId: string): Promise<Pick<OperationRow, 'id' | 'phase'> | undefined>;
  /** The app's operation with that id, or its newest. */
  latest(appId: string, id?: string): Promise<OperationRow | undefined>;
  /** What the phase of each app's newest operation is computed from. */
  latestPhases(
    appIds: readonly string[],
  ): Promise<Pick<OperationRow, 'appId' | 'phase' | 'terminateRequested' | 'finishedAt'>[]>;
  insert(
    appId: string,
    operation: TOperationState['operation'],
    startedAt: Date,
    message?: string,
  ): Promise<OperationRow>;
  /** Names of the apps whose open operation is due and not leased (or its lease ran out, by the database's clock). */
  appsWithDueOperations(now: Date): Promise<string[]>;
  /** Puts a failed operation back in the queue for another attempt, lease and plan dropped. */
  scheduleRetry(opId: string, retry: { retryCount: number; nextAttemptAt: Date; message: string }): Promise<void>;
  /**
   * Ends the operation, as a compare-and-set on the phases the transition table lets `phase` follow:
   * false when another controller already ended it. `patch` (its final results) is written with it.
   */
  finish(
    opId: string,
    phase: OperationRow['phase'],
    message: string,
    at: Date,
    patch?: Pick<Partial<OperationRow>, 'progress' | 'results' | 'steps'>,
  ): Promise<boolean>;
  /** Marks the app's open operation for termination; undefined when none is open. */
  requestTerminate(appId: string): Promise<OperationRow | undefined>;
  /**
   * Takes (or renews) the lease of the app's open operation (one at most) due by `now` (its retry time is this
   * host's), for `leaseMs` from the database's clock, in one statement; undefined when there is none or another owner
   * holds it. Lease times are the database's, as for members, so controllers whose clocks disagree never both hold one
   * operation.
   */
  claimOpen(appId: string, owner: string, now: Date, leaseMs: number): Promise<OperationRow | undefined>;
  /** Extends the lease (`leaseMs` from the database's clock) while `owner` holds it: whether a terminate was asked. */
  renewLease(opId: string, owner: string, leaseMs: number): Promise<{ terminate: boolean } | undefined>;
  /** Gives the lease up (the controller is stopping): another process carries on at once. */
  releaseLease(opId: string): Promise<void>;
  save(opId: string, patch: OperationProgressPatch): Promise<void>;
}

/** Git as the controller reads it: revisions resolved in a mirror, trees checked out at a SHA. */
export interface GitRepos {
  resolveRevision(repo: RepoRef, targetRevision: string, opts?: { maxAgeMs?: number }): Promise<string>;
  readTree(repo: RepoRef, sha: string, subPath: string): Promise<string>;
  commitInfo(repo: RepoRef, sha: string): Promise<CommitInfo>;
}

/** Renders an app source checked out at `root` (kustomize, helm or plain manifests). */
export interface ManifestRenderer {
  render(root: string, source: RenderSourceSpec): Promise<RenderResult>;
  /** Which tool a directory asks for when the app names none. */
  detect(dir: string): Promise<'directory' | 'kustomize' | 'helm'>;
}

/** The key of one object in a cluster. */
export interface ClusterObjectKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One cluster, as the sync and the comparison use it. */
export interface ClusterClient {
  /** Server-side apply; `created` when the object did not exist. */
  apply(
    obj: KubeObject,
    opts: { dryRun?: boolean; fieldValidation?: 'Strict' | 'Warn' | 'Ignore' },
  ): Promise<{ object: KubeObject; created: boolean }>;
  /** The live object after a server-side dry-run apply (server defaults included). */
  dryRun(obj: KubeObject, opts: { fieldValidation?: 'Strict' | 'Warn' | 'Ignore' }): Promise<KubeObject>;
  get(key: ClusterObjectKey): Promise<KubeObject | undefined>;
  delete(
    key: ClusterObjectKey,
    opts: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'; dryRun?: boolean },
  ): Promise<{ deleted: boolean }>;
}

/** The gitops tables' stores, all on one connection (the pool, or one transaction). */
export interface GitopsRecords {
  apps: ApplicationStore;
  operations: OperationStore;
  history: HistoryStore;
  clusters: ClusterStore;
  repositories: RepositoryStore;
  webhookSecrets: WebhookSecretStore;
}

/** One transaction's stores, its audit log and the controller's wake-up: they commit together. */
export interface GitopsUnit extends GitopsRecords {
  audit: AuditTrail;
  /**
   * Wakes the controller for one app (Postgres NOTIFY: delivered when, and only if, the transaction commits).
   * The controller also scans on a timer, so a lost notification only delays the work.
   */
  notify(appName: string): Promise<void>;
}

/** The gitops stores outside any transaction, and the unit of work that opens one. */
export interface GitopsStores extends GitopsRecords {
  transaction<T>(work: (tx: GitopsUnit) => Promise<T>): Promise<T>;
}

/** What the gitops use cases need: their stores, the clock, and authorization (projects included). */
export interface GitopsDeps extends AccessDeps {
  gitops: GitopsStores;
  now: () => Date;
}

/** A gitops controller process as the others see it. */
export interface ControllerMember {
  id: string;
  host: string;
  pid: number;
}

/** The controllers' membership leases and the apps' refresh leases (times on the database's clock). */
export interface ControllerMemberStore {
  /** Inserts or renews the member's lease for `leaseSeconds`; returns the ids of the live members, by id. */
  heartbeat(member: ControllerMember, leaseSeconds: number): Promise<string[]>;
  /** Deletes the member's row (a graceful stop): the others take its apps over at their next heartbeat. */
  leave(id: string): Promise<void>;
  /**
   * Takes the app's refresh lease for a live `owner`: true when it was free, held by `owner`, or held by a member
   * whose lease ran out; false when another live member is refreshing it (or the app is gone).
   */
  claimRefresh(appName: string, owner: string): Promise<boolean>;
  /** Gives the refresh lease up (the row stays, naming the controller that compared the app last). */
  releaseRefresh(appName: string, owner: string): Promise<void>;
}
