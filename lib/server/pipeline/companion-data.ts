import { and, eq, inArray } from 'drizzle-orm';
import { companions } from '@/lib/adapters/db/schema';
import type { Deps } from '../deps';
import type { SecretBox } from '../security/secret-box';

export interface CompanionData {
  configMaps: Record<string, Record<string, string>>;
  /** Decrypted, for resolution only; never stored back in clear. */
  secrets: Record<string, Record<string, string>>;
  claims: Set<string>;
}

/** Loads the ConfigMaps and Secrets a run needs (Secrets decrypted) and the names of known PVCs. */
export async function loadCompanions(deps: Deps, box: SecretBox, names: { configMaps: string[]; secrets: string[] }): Promise<CompanionData> {
  const rows = await deps.db
    .select()
    .from(companions)
    .where(inArray(companions.name, [...names.configMaps, ...names.secrets, '__none__']));
  const out: CompanionData = { configMaps: {}, secrets: {}, claims: new Set() };
  for (const row of rows) {
    if (row.kind === 'ConfigMap') out.configMaps[row.name] = (row.data as { data: Record<string, string> }).data;
    if (row.kind === 'Secret') {
      const sealed = (row.data as { sealed: Record<string, string> }).sealed;
      out.secrets[row.name] = Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, box.open(v)]));
    }
  }
  const claims = await deps.db.select({ name: companions.name }).from(companions).where(and(eq(companions.kind, 'PersistentVolumeClaim')));
  out.claims = new Set(claims.map((c) => c.name));
  return out;
}
