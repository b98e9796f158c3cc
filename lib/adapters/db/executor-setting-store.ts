/** The `pipelines.executor` setting in system_settings (Drizzle); implements the pipeline ExecutorSettingStore port. */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { ZPipelineExecutorSetting } from '@/lib/domain/pipeline/executor-setting';
import type { ExecutorSettingStore } from '@/lib/server/pipeline/executor-settings-ports';
import { createAuditTrail } from './audit-trail';
import type { Db } from './client';
import { systemSettings } from './schema';

export const EXECUTOR_SETTING_KEY = 'pipelines.executor';
const ZStored = z.object({ setting: ZPipelineExecutorSetting, by: z.string() });

export function createExecutorSettingStore(db: Db, now: () => Date): ExecutorSettingStore {
  return {
    async get() {
      const [row] = await db.select().from(systemSettings).where(eq(systemSettings.key, EXECUTOR_SETTING_KEY));
      if (!row) return undefined;
      const stored = ZStored.parse(row.value);
      return { value: stored.setting, updatedAt: row.updatedAt, updatedBy: stored.by };
    },
    async put(setting, by, audit) {
      const value = { setting, by };
      await db.transaction(async (tx) => {
        await tx
          .insert(systemSettings)
          .values({ key: EXECUTOR_SETTING_KEY, value, updatedAt: now() })
          .onConflictDoUpdate({ target: systemSettings.key, set: { value, updatedAt: now() } });
        await createAuditTrail(tx, now).record(audit);
      });
    },
  };
}
