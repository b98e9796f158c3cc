// The stores of what `apply` keeps beside the runs: versioned definitions, companions and trigger deliveries.
import type { TCompanionData } from '@/lib/domain/pipeline/stored-schemas';
import type { NewTriggerDelivery, TriggerDeliveryRow } from './ports';
import type { StoredDefinition, DefinitionKind } from './stored-definitions';

/** A Pipeline's newest version with its last run, as the pipelines list shows it. */
export interface PipelineSummaryRow {
  name: string;
  project: string;
  version: number;
  createdAt: Date;
  tasks: number;
  lastRun: {
    name: string;
    conditionStatus: string | null;
    conditionReason: string | null;
    startedAt: Date | null;
    completedAt: Date | null;
  } | null;
}

/** The versioned Tasks, Pipelines and StepActions. */
export interface DefinitionStore {
  /** The newest version of each named definition of one kind. */
  latest(kind: DefinitionKind, names: readonly string[]): Promise<Map<string, StoredDefinition>>;
  /** Every version of one definition, newest first. */
  versions(kind: DefinitionKind, name: string): Promise<Pick<StoredDefinition, 'version' | 'document' | 'project'>[]>;
  insert(definition: StoredDefinition & { createdBy: string }): Promise<void>;
  /** Deletes every version; returns how many there were. */
  deleteAll(kind: DefinitionKind, name: string): Promise<number>;
  /** Each Pipeline's newest version with its last run, newest activity first. */
  pipelineSummaries(): Promise<PipelineSummaryRow[]>;
}

export type CompanionKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'Trigger';

export interface StoredCompanion {
  kind: string;
  name: string;
  project: string;
  /** As stored: parsed by the reader with the schema of its kind. */
  data: unknown;
  updatedAt: Date;
}

/** ConfigMaps, Secrets (sealed), PVCs and Triggers applied beside the definitions. */
export interface CompanionStore {
  /** The companions of any kind with one of these names. */
  named(names: readonly string[]): Promise<StoredCompanion[]>;
  find(kind: CompanionKind, name: string): Promise<StoredCompanion | undefined>;
  /** Every companion of a kind, by name. */
  ofKind(kind: CompanionKind): Promise<StoredCompanion[]>;
  /** Creates or replaces one; says which, or null (nothing written) when another project holds that name. */
  upsert(
    c: { kind: CompanionKind; name: string; project: string; data: TCompanionData; createdBy: string },
    at: Date,
  ): Promise<'created' | 'configured' | null>;
}

/** The log of webhook deliveries to triggers. */
export interface TriggerDeliveryStore {
  /** The newest delivery of each of these triggers. */
  newestOf(triggers: readonly string[]): Promise<TriggerDeliveryRow[]>;
  /** A trigger's deliveries, newest first. */
  list(trigger: string, limit: number): Promise<TriggerDeliveryRow[]>;
  /**
   * Inserts the row claiming a delivery that starts a run, against the unique indexes on delivery id and
   * payload digest; undefined when the same delivery already started one.
   */
  claimStarted(row: NewTriggerDelivery): Promise<string | undefined>;
  setRunName(id: string, runName: string): Promise<void>;
  /** The started delivery with that id or payload digest. */
  firstStarted(
    trigger: string,
    deliveryId: string | null,
    payloadDigest: string | null,
  ): Promise<Pick<TriggerDeliveryRow, 'runName' | 'deliveryId'> | undefined>;
  /**
   * Records a delivery that started nothing and, in the same transaction, deletes that trigger's rows with
   * the same outcome beyond the newest `keep`, under a per-(trigger, outcome) advisory lock.
   */
  recordUnstarted(row: NewTriggerDelivery, keep: number): Promise<void>;
}
