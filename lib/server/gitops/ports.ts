/**
 * What the gitops use cases and the controller need from the outside world, as small interfaces.
 * Drizzle, simple-git and client-node implement them in lib/adapters; the composition roots
 * (workers/gitops.ts through createGitopsController, the web context) wire them.
 */
import type { applications, appOperations } from '@/lib/adapters/db/schema';
import type { CommitInfo, RepoRef } from '@/lib/adapters/git';
import type { RenderResult, RenderSourceSpec } from '@/lib/adapters/render';
import type { KubeObject } from '@/lib/domain/gitops';

export type AppRow = typeof applications.$inferSelect;
export type OperationRow = typeof appOperations.$inferSelect;
/** The status columns a refresh or an operation writes on the app. */
export type AppStatusPatch = Partial<typeof applications.$inferInsert>;

/** Applications as the controller reads and writes them. */
export interface ApplicationStore {
  /** Writes a refresh's outcome (or any status columns) on one app. */
  saveStatus(appId: string, patch: AppStatusPatch): Promise<void>;
  /** Asks for a refresh, keeping a hard one already asked for. */
  requestRefresh(appId: string): Promise<void>;
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
  findOpen(appId: string): Promise<{ id: string } | undefined>;
  /** Takes (or renews) the lease of an unfinished, due operation; undefined when another owner holds it. */
  claim(opId: string, owner: string, now: Date, leaseUntil: Date): Promise<OperationRow | undefined>;
  /** Extends the lease while `owner` still holds it: whether a terminate was asked, or undefined when lost. */
  renewLease(opId: string, owner: string, leaseUntil: Date): Promise<{ terminate: boolean } | undefined>;
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
