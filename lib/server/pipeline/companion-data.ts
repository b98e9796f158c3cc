import type { TTaskSpec, TWorkspaceBinding } from '@/lib/domain/pipeline/spec-schemas';
import { ZConfigMapData, ZSealedSecretData } from '@/lib/domain/pipeline/stored-schemas';
import type { SecretBox } from '../security/secret-box';
import type { CompanionStore } from './ports';

export interface CompanionData {
  configMaps: Record<string, Record<string, string>>;
  /**
   * Decrypted, in memory only: the planner uses the keys (plans store references) and writes Secret
   * workspaces' files; the worker resolves the references right before a run. Never stored back in clear.
   */
  secrets: Record<string, Record<string, string>>;
}

export interface CompanionNames {
  configMaps: string[];
  secrets: string[];
}

/** The ConfigMaps and Secrets that Task specs (env, envFrom, stepTemplate) and workspace bindings name. */
export function companionNames(specs: readonly TTaskSpec[], bindings: readonly TWorkspaceBinding[]): CompanionNames {
  const envSources = specs.flatMap((s) => [...(s.stepTemplate ? [s.stepTemplate] : []), ...s.steps]);
  const env = envSources.flatMap((st) => st.env ?? []);
  const envFrom = envSources.flatMap((st) => st.envFrom ?? []);
  const names = (list: (string | undefined)[]) => [...new Set(list.filter((n): n is string => Boolean(n)))];
  return {
    configMaps: names([
      ...env.map((e) => e.valueFrom?.configMapKeyRef?.name),
      ...envFrom.map((f) => f.configMapRef?.name),
      ...bindings.map((b) => b.configMap?.name),
    ]),
    secrets: names([
      ...env.map((e) => e.valueFrom?.secretKeyRef?.name),
      ...envFrom.map((f) => f.secretRef?.name),
      ...bindings.map((b) => b.secret?.secretName),
    ]),
  };
}

/** Loads the ConfigMaps and Secrets a run needs (Secrets decrypted); no query when it needs none. */
export async function loadCompanions(
  store: CompanionStore,
  box: SecretBox,
  names: CompanionNames,
): Promise<CompanionData> {
  const out: CompanionData = { configMaps: {}, secrets: {} };
  const wanted = [...names.configMaps, ...names.secrets];
  if (wanted.length === 0) return out;
  const rows = await store.named(wanted);
  for (const row of rows) {
    if (row.kind === 'ConfigMap' && names.configMaps.includes(row.name))
      out.configMaps[row.name] = ZConfigMapData.parse(row.data).data;
    if (row.kind === 'Secret' && names.secrets.includes(row.name)) {
      const { sealed } = ZSealedSecretData.parse(row.data);
      out.secrets[row.name] = Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, box.open(v)]));
    }
  }
  return out;
}
