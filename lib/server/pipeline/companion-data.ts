import { inArray } from 'drizzle-orm';
import { companions } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import type { SecretBox } from '../security/secret-box';

export interface CompanionData {
  configMaps: Record<string, Record<string, string>>;
  /** Decrypted, for resolution only; never stored back in clear. */
  secrets: Record<string, Record<string, string>>;
}

/** Loads the ConfigMaps and Secrets a run needs (Secrets decrypted); no query when it needs none. */
export async function loadCompanions(deps: Deps, box: SecretBox, names: { configMaps: string[]; secrets: string[] }): Promise<CompanionData> {
  const out: CompanionData = { configMaps: {}, secrets: {} };
  const wanted = [...names.configMaps, ...names.secrets];
  if (wanted.length === 0) return out;
  const rows = await deps.db.select().from(companions).where(inArray(companions.name, wanted));
  for (const row of rows) {
    if (row.kind === 'ConfigMap') out.configMaps[row.name] = (row.data as { data: Record<string, string> }).data;
    if (row.kind === 'Secret') {
      const sealed = (row.data as { sealed: Record<string, string> }).sealed;
      out.secrets[row.name] = Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, box.open(v)]));
    }
  }
  return out;
}
