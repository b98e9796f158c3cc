// The row shapes are the schema's (one source); the rest of the pipeline use cases take them from here.
import type { PipelineRunRow, TaskRunRow, triggerDeliveries } from '@/lib/adapters/db/schema';
import type { ExecutorKind } from '@/lib/domain/pipeline/executor-choice';
import type { TTaskRunStatus } from '@/lib/domain/pipeline/stored-schemas';
import type { LogLine } from '@/lib/domain/pipeline/task-run-plan';
import type { TaskRunStateName } from '@/lib/domain/pipeline/task-run-states';
import type { AuditTrail } from '../audit';
import type { CompanionStore, DefinitionStore, TriggerDeliveryStore } from './document-store-ports';
import type { TaskRunSummary } from './task-run-state';
import type { ExecutorPolicy } from './executor-override';

/**
 * The job queue, bound to the transaction of the change that causes the job (see PipelineUnit): the job
 * exists only if that transaction commits. `key` makes a send idempotent: the same key sent again (a
 * retried request) queues nothing new.
 */
export interface PipelineJobs {
  /** Asks a worker to reconcile the PipelineRun (decide what it does next). */
  reconcileRun(runId: string, key: string): Promise<void>;
  /** Asks a worker to run a pending standalone TaskRun. */
  executeTaskRun(taskRunId: string, key: string): Promise<void>;
}

export type { AuditTrail };

/** The registered repositories' sealed credentials (`keelson repo add`), for the git resolver. */
export interface RepositoryCredentialStore {
  sealedCredentials(normalizedUrl: string): Promise<string | null>;
}

/** The stores of the pipeline tables, all on one connection (the pool, or one transaction). */
export interface PipelineRecords {
  runs: PipelineRunStore;
  taskRuns: TaskRunStore;
  definitions: DefinitionStore;
  companions: CompanionStore;
  deliveries: TriggerDeliveryStore;
  repositories: RepositoryCredentialStore;
}

/** One transaction's stores, its audit log and its job queue: what is written through them commits together. */
export interface PipelineUnit extends PipelineRecords {
  audit: AuditTrail;
  jobs: PipelineJobs;
}

export interface TransactionOptions {
  /**
   * The commit need not wait for the disk (`synchronous_commit = off`): for derived state that the next
   * reconcile recomputes if a database crash loses it.
   */
  asyncCommit?: boolean;
}

/** The pipeline stores outside any transaction, and the unit of work that opens one. */
export interface PipelineStores extends PipelineRecords {
  transaction<T>(work: (tx: PipelineUnit) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

/** What the pipeline use cases need: their stores (with the job queue bound to their transactions) and the clock. */
export interface PipelineDeps {
  stores: PipelineStores;
  now: () => Date;
  /** Settings → Pipelines' executor and whether runs may choose another (checked at create time; absent: they may). */
  executorPolicy?: () => Promise<ExecutorPolicy>;
}

/** The use cases that start or change runs: their jobs are queued in their transaction (PipelineUnit.jobs). */
export type RunControlDeps = PipelineDeps;

/**
 * Idempotency keys of the jobs the use cases send, one per run and change: a start once per run; a cancel
 * per change of spec.status (a retried request that changes nothing sends nothing, and a later change
 * back to an earlier mode, e.g. StoppedRunFinally → Cancelled → StoppedRunFinally, still gets its job).
 */
export const jobKeys = {
  started: (runId: string) => `started:${runId}`,
  cancelled: (runId: string, mode: string, at: Date) => `cancelled:${runId}:${mode}:${at.toISOString()}`,
};

export interface TaskRunCompletion {
  state: Extract<TaskRunStateName, 'succeeded' | 'failed' | 'cancelled'>;
  status: TTaskRunStatus;
}

/** What a finished TaskRun's caller needs: which PipelineRun to move on. */
export type CompletedTaskRun = Pick<TaskRunRow, 'id' | 'name' | 'pipelineRunId' | 'state'>;

/** The TaskRuns the engine and its executors work on: leases, outcomes, logs, and what the tick looks for. */
export interface TaskRunStore extends TaskRunRecords {
  /**
   * Claims pending TaskRuns for one worker, in one statement (a fan-out's). Idempotent: the same job delivered
   * twice, or two workers racing, leave exactly one owner; returns the rows this owner got.
   */
  claim(ids: readonly string[], owner: string, leaseMs: number, route?: ClaimRoute): Promise<TaskRunRow[]>;
  /** Records the pod the Kubernetes executor made for a TaskRun `owner` holds (`status.podName`, its namespace). */
  recordPod(id: string, owner: string, pod: { namespace: string; name: string }): Promise<void>;
  /** Extends the lease while the owner still holds it; reports whether a cancel was requested meanwhile. */
  renewLease(id: string, owner: string, leaseMs: number): Promise<{ held: boolean; cancelRequested: string | null }>;
  /**
   * Records the outcome, only if this worker still owns the run (a reaped lease loses the race) and the
   * transition table allows the move (compare-and-set on the states it may come from).
   */
  complete(id: string, owner: string, done: TaskRunCompletion): Promise<CompletedTaskRun | undefined>;
  /**
   * Fails the TaskRuns whose worker stopped renewing (it died, or its machine did) with a clear reason, so no
   * run stays Running forever; the pipeline's retries then apply as to any other failure.
   */
  reapExpired(): Promise<TaskRunRow[]>;
  /** Ids of TaskRuns still pending that were created before `before` (their dispatcher may have died). */
  pendingCreatedBefore(before: Date): Promise<string[]>;
  /** Ids of unfinished PipelineRuns created before `before`. */
  openRunsCreatedBefore(before: Date): Promise<string[]>;
  /** Appends a batch of log lines as one chunk per step, keeping their order. */
  appendLogs(taskRunId: string, lines: LogLine[]): Promise<void>;
}

/**
 * Which executor a claim hands each TaskRun to (its `keelson.dev/executor` annotation, else `defaultExecutor`;
 * lib/domain/pipeline/executor-choice.ts) and how many it may take: at most `maxLocal` for the local executor
 * (this worker's free slots; no bound when left out), and for the Kubernetes one only while fewer than
 * `kubernetes.max` TaskRuns of all workers run there (counted under a lock). Without `kubernetes`, a TaskRun
 * asking for it is claimed all the same, for the engine to fail it with the reason.
 */
export interface ClaimRoute {
  defaultExecutor: ExecutorKind;
  maxLocal?: number;
  kubernetes?: { max: number };
}

/** Where a cancel applies: one pipeline task (one matrix combination when it fans out) of a PipelineRun. */
export interface TaskRunSelector {
  pipelineRunId: string;
  task: string;
  matrixIndex?: number;
}

/** The columns a retried TaskRun's row is reset to for its next attempt. */
export interface TaskRunRetry {
  name: string;
  attempt: number;
  state: Extract<TaskRunStateName, 'pending' | 'failed'>;
  plan: TaskRunRow['plan'];
  status: TTaskRunStatus;
  completedAt: Date | null;
}

export interface StoredLogChunkRow {
  id: number;
  step: string;
  /** As stored: the reader parses them. */
  lines: unknown;
}

/** The TaskRun rows the use cases read and write (creation, retries, cancels, pages, logs). */
export interface TaskRunRecords {
  findByName(name: string): Promise<TaskRunRow | undefined>;
  /** A pipeline's TaskRuns, oldest first. */
  ofPipelineRun(pipelineRunId: string): Promise<TaskRunRow[]>;
  /** The newest TaskRuns, of one PipelineRun or of all, skipping the `offset` newest. */
  newest(pipelineRunId: string | undefined, limit: number, offset?: number): Promise<TaskRunRow[]>;
  /** What the scheduler reads of a run's TaskRuns (not the plans: they are the bulk of a row). */
  scheduleRows(pipelineRunId: string): Promise<TaskRunSummary[]>;
  /** Inserts rows, skipping names already taken (by a concurrent reconcile); returns the ids inserted. */
  insert(rows: TaskRunRow[]): Promise<string[]>;
  statusOf(name: string): Promise<TaskRunRow['status'] | undefined>;
  /** Resets a TaskRun still at `attempt - 1` and in a state a retry starts from; undefined when it is not. */
  resetForRetry(retry: TaskRunRetry): Promise<Pick<TaskRunRow, 'id' | 'state'> | undefined>;
  /** Cancels the selected TaskRuns still pending, with that status. */
  cancelPending(which: TaskRunSelector, status: TTaskRunStatus, at: Date): Promise<void>;
  /** Asks the workers running the selected TaskRuns to stop them, with that message. */
  requestCancel(which: TaskRunSelector, message: string): Promise<void>;
  /** Log chunks after `afterId`, oldest first. */
  logChunks(taskRunId: string, afterId: number, limit: number): Promise<StoredLogChunkRow[]>;
  /** Of these names, the TaskRuns that exist: their PipelineRun (null when standalone) and end. */
  named(names: readonly string[]): Promise<Pick<TaskRunRow, 'name' | 'pipelineRunId' | 'completedAt'>[]>;
}

/** A PipelineRun as stored when it starts (in the `default` project unless one is given; no concurrency group unless given). */
export type NewPipelineRun = Partial<Pick<PipelineRunRow, 'project' | ConcurrencyColumn | ParentColumn>> &
  Omit<PipelineRunRow, 'id' | 'project' | 'completedAt' | ConcurrencyColumn | ParentColumn>;

/** A child PipelineRun's link to its parent (Pipelines in Pipelines); absent for a top-level run. */
type ParentColumn = 'parentRunId' | 'parentTask';

type ConcurrencyColumn = 'concurrencyGroup' | 'concurrencyLimit' | 'concurrencyStrategy' | 'concurrencySeq';

/** An unfinished run of a concurrency group, as admission reads it (settle-concurrency-group.ts). */
export type GroupRunRow = Pick<
  PipelineRunRow,
  | 'id'
  | 'name'
  | 'createdAt'
  | 'createdBy'
  | 'startedAt'
  | 'concurrencyLimit'
  | 'concurrencyStrategy'
  | 'concurrencySeq'
> & {
  /** spec.run.status (a cancel or stop asked), null when none. */
  specStatus: string | null;
  /** The message of its condition (a queued run's says why it waits). */
  message: string | null;
};

/** What one reconcile records of a PipelineRun. */
export type ReconciledRun = Pick<PipelineRunRow, 'status' | 'conditionStatus' | 'conditionReason' | 'completedAt'>;

export interface RunPageFilters {
  pipeline?: string;
  /** Running, Succeeded, Failed, Cancelled… matched against the condition's status or reason. */
  status?: string;
  page: number;
  limit: number;
}

export type RunListRow = {
  name: string;
  project: string;
  pipeline: string | null;
  status: string;
  reason: string;
  /** The condition's message (a queued run's says what it waits for). */
  message: string | null;
  /** A child PipelineRun's parent run (Pipelines in Pipelines), else null. */
  parentRun: string | null;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
};

/** The PipelineRun rows. */
export interface PipelineRunStore {
  findByName(name: string): Promise<PipelineRunRow | undefined>;
  findById(id: string): Promise<PipelineRunRow | undefined>;
  /**
   * The unfinished run, locked for the rest of the transaction (`select … for update`): reconciles of
   * one run are serialized by it. A run of a concurrency group has its group's lock taken first, in the same
   * statement. Undefined when the run is gone or finished.
   */
  lockForReconcile(id: string): Promise<PipelineRunRow | undefined>;
  insert(run: NewPipelineRun): Promise<{ id: string; name: string }>;
  saveSpec(id: string, spec: PipelineRunRow['spec']): Promise<void>;
  saveReconciled(id: string, fields: ReconciledRun): Promise<void>;
  /** Takes the lock of a concurrency group until the transaction ends (advisory lock on its hash). */
  lockGroup(group: string): Promise<void>;
  /**
   * The concurrency groups of these unfinished runs, each locked, in a fixed order (by lock key): a transaction
   * that creates runs of several groups takes them all at once, after writing its rows and before settling.
   */
  lockGroupsOf(ids: readonly string[]): Promise<string[]>;
  /**
   * Under the group's lock: gives the group's unfinished runs that have no place in its queue yet (written since it
   * was last settled) the next places, in creation order, after those that have one.
   */
  numberJoined(group: string): Promise<void>;
  /** The unfinished runs of a group. */
  openInGroup(group: string): Promise<GroupRunRow[]>;
  /** A queued run starts now: its start time and status. */
  admit(id: string, fields: Pick<PipelineRunRow, 'startedAt' | 'status' | 'conditionReason'>): Promise<void>;
  /** Sets spec.status to Cancelled with the message its Cancelled condition will carry (spec.concurrencyCancel). */
  cancelForGroup(id: string, message: string): Promise<void>;
  /** Deletes the run with its TaskRuns and logs. */
  delete(id: string): Promise<void>;
  /** Every run the filters match, newest first, as name and project (what authorization needs to filter them). */
  keys(
    f: Omit<RunPageFilters, 'page' | 'limit'>,
  ): Promise<{ id: string; name: string; project: string; parentRunId: string | null }[]>;
  /** The name of each run's root PipelineRun (itself for a top-level run), by run id; gone runs are left out. */
  rootNames(ids: readonly string[]): Promise<Map<string, string>>;
  /** The list rows of these runs, newest first. */
  listRows(names: readonly string[]): Promise<RunListRow[]>;
  /** Of these names, those of PipelineRuns that exist. */
  existingNames(names: readonly string[]): Promise<string[]>;
  /** The child PipelineRuns of a run (Pipelines in Pipelines), oldest first. */
  childrenOf(parentRunId: string): Promise<PipelineRunRow[]>;
  /** How many PipelineRuns the run tree holding this run has (its top-level run and every child below it). */
  treeSize(runId: string): Promise<number>;
  /** Links a just created run to its parent run and pipeline task (it becomes that task's child PipelineRun). */
  linkToParent(id: string, parentRunId: string, parentTask: string): Promise<void>;
}

export * from './document-store-ports';

export type TriggerDeliveryRow = typeof triggerDeliveries.$inferSelect;
export type NewTriggerDelivery = typeof triggerDeliveries.$inferInsert;

export type { PipelineRunRow, TaskRunRow };
