import type { TPipelineExecutorSetting } from '@/lib/domain/pipeline/executor-setting';
import type { AuditEntry } from '../audit';

/** The stored `pipelines.executor` setting, with who changed it last. */
export interface StoredExecutorSetting {
  value: TPipelineExecutorSetting;
  updatedAt: Date;
  updatedBy: string;
}

/** The `pipelines.executor` row of system_settings. */
export interface ExecutorSettingStore {
  /** Undefined until someone stored one (the defaults hold: the local executor). */
  get(): Promise<StoredExecutorSetting | undefined>;
  /** Stores the setting and its audit row in one transaction. */
  put(value: TPipelineExecutorSetting, by: string, audit: AuditEntry): Promise<void>;
}
