import type { SealedValueDeps } from './ports';
import type { SecretBox } from './secret-box';

export interface ResealReport {
  /** Values sealed again with the active key, by table. */
  resealed: Record<string, number>;
  /** Values that no key of this keyring opens (left as they are), as `table/row`. */
  unreadable: string[];
}

/** How many sealed values each key id holds (`v1` for values from before key ids). */
export async function sealedKeyUsage(deps: SealedValueDeps): Promise<Record<string, number>> {
  return deps.sealed.keyUsage();
}

/**
 * Seals every value at rest again with the box's active key, in short transactions of `batch` rows
 * locked FOR UPDATE, so the web server and workers keep running (they read old and new keys alike).
 * Rows written meanwhile by a process still sealing with an older key are caught by the next loop.
 */
export async function resealAll(deps: SealedValueDeps, box: SecretBox, batch = 100): Promise<ResealReport> {
  const report: ResealReport = { resealed: {}, unreadable: [] };
  for (const place of deps.sealed.places()) {
    const skip: string[] = [];
    const reseal = (row: { key: string; label: string; values: Record<string, string> }) => {
      try {
        const fresh = Object.fromEntries(Object.entries(row.values).map(([k, v]) => [k, box.seal(box.open(v))]));
        report.resealed[place] = (report.resealed[place] ?? 0) + Object.keys(fresh).length;
        return fresh;
      } catch {
        skip.push(row.key);
        report.unreadable.push(row.label);
        return undefined;
      }
    };
    while ((await deps.sealed.resealBatch(place, box.activeKeyId(), skip, batch, reseal)) > 0);
  }
  return report;
}
