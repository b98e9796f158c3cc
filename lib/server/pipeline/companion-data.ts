import type { TStepActionSpec, TTaskSpec, TWorkspaceBinding } from '@/lib/domain/pipeline/spec-schemas';
import { ZCompanionSpecData, ZConfigMapData, ZSealedSecretData } from '@/lib/domain/pipeline/stored-schemas';
import { volumeCompanionNames } from '@/lib/domain/pipeline/volume-schemas';
import { AppError } from '@/lib/errors';
import type { SecretBox } from '../security/secret-box';
import type { CompanionStore } from './ports';

export interface CompanionData {
  configMaps: Record<string, Record<string, string>>;
  /** Each ConfigMap's binaryData (base64), for files only: Kubernetes never puts it in env. */
  configMapBinary?: Record<string, Record<string, string>>;
  /**
   * Decrypted, in memory only: the planner uses the keys (plans store references) and writes Secret
   * workspaces' files; the worker resolves the references right before a run. Never stored back in clear.
   */
  secrets: Record<string, Record<string, string>>;
  /** The spec of each PersistentVolumeClaim document a binding names: a Kubernetes executor creates the claim from it. */
  claims?: Record<string, Record<string, unknown>>;
}

export interface CompanionNames {
  configMaps: string[];
  secrets: string[];
  /** PersistentVolumeClaims the bindings name. */
  claims?: string[];
}

/**
 * The ConfigMaps and Secrets that Task specs (env, envFrom, stepTemplate), the StepActions their steps refer to
 * (env) and workspace bindings (projected sources too) name.
 */
export function companionNames(
  specs: readonly TTaskSpec[],
  bindings: readonly TWorkspaceBinding[],
  actions: readonly (TStepActionSpec | undefined)[] = [],
): CompanionNames {
  const envSources = specs.flatMap((s) => [...(s.stepTemplate ? [s.stepTemplate] : []), ...s.steps]);
  const env = [...envSources, ...actions].flatMap((st) => st?.env ?? []);
  const envFrom = envSources.flatMap((st) => st.envFrom ?? []);
  const names = (list: (string | undefined)[]) => [...new Set(list.filter((n): n is string => Boolean(n)))];
  const volumes = specs.map((s) => volumeCompanionNames(s.volumes));
  return {
    configMaps: names([
      ...env.map((e) => e.valueFrom?.configMapKeyRef?.name),
      ...envFrom.map((f) => f.configMapRef?.name),
      ...bindings.map((b) => b.configMap?.name),
      ...bindings.flatMap((b) => b.projected?.sources.map((p) => p.configMap?.name) ?? []),
      ...volumes.flatMap((v) => v.configMaps),
    ]),
    secrets: names([
      ...env.map((e) => e.valueFrom?.secretKeyRef?.name),
      ...envFrom.map((f) => f.secretRef?.name),
      ...bindings.map((b) => b.secret?.secretName),
      ...bindings.flatMap((b) => b.projected?.sources.map((p) => p.secret?.name) ?? []),
      ...volumes.flatMap((v) => v.secrets),
    ]),
    claims: names(bindings.map((b) => b.persistentVolumeClaim?.claimName)),
  };
}

/**
 * Loads the ConfigMaps and Secrets of `project` a run of that project needs (Secrets decrypted); no query when
 * it needs none. Another project's are not there for it.
 */
export async function loadCompanions(
  store: CompanionStore,
  box: SecretBox,
  names: CompanionNames,
  project: string,
): Promise<CompanionData> {
  const out: CompanionData = { configMaps: {}, secrets: {} };
  const claims = names.claims ?? [];
  const wanted = [...names.configMaps, ...names.secrets, ...claims];
  if (wanted.length === 0) return out;
  // A name such as `$(params.CFGNAME)` (upstream's task-volume-args) is known only once the task's params are
  // substituted: the project's companions of that kind are all loaded, and the plan picks the one it names.
  const templated = (list: readonly string[]) => list.some((n) => n.includes('$('));
  const anyConfigMap = templated(names.configMaps);
  const anySecret = templated(names.secrets);
  const rows = [
    ...(await store.named(wanted.filter((n) => !n.includes('$(')))),
    ...(anyConfigMap ? await store.ofKind('ConfigMap') : []),
    ...(anySecret ? await store.ofKind('Secret') : []),
  ];
  for (const row of rows) {
    if (row.project !== project) continue;
    if (row.kind === 'ConfigMap' && (anyConfigMap || names.configMaps.includes(row.name))) {
      const { data, binaryData } = ZConfigMapData.parse(row.data);
      out.configMaps[row.name] = data;
      if (binaryData) out.configMapBinary = { ...out.configMapBinary, [row.name]: binaryData };
    }
    if (row.kind === 'Secret' && (anySecret || names.secrets.includes(row.name))) {
      const { sealed } = ZSealedSecretData.parse(row.data);
      out.secrets[row.name] = Object.fromEntries(Object.entries(sealed).map(([k, v]) => [k, box.open(v)]));
    }
    if (row.kind === 'PersistentVolumeClaim' && claims.includes(row.name))
      out.claims = { ...out.claims, [row.name]: ZCompanionSpecData.parse(row.data).spec };
  }
  return out;
}

/**
 * A run binds only its own project's ConfigMaps, Secrets and PersistentVolumeClaims: one that names another
 * project's is refused before it is stored (400 naming the project that owns it).
 */
export async function refuseOtherProjects(
  store: CompanionStore,
  project: string,
  names: CompanionNames,
  bindings: readonly TWorkspaceBinding[],
  docPath: string,
): Promise<void> {
  const claims = bindings.flatMap((b) => (b.persistentVolumeClaim ? [b.persistentVolumeClaim.claimName] : []));
  const wanted = new Map<string, string[]>([
    ['ConfigMap', names.configMaps],
    ['Secret', names.secrets],
    ['PersistentVolumeClaim', claims],
  ]);
  const all = [...new Set([...wanted.values()].flat())];
  if (all.length === 0) return;
  const foreign = (await store.named(all)).filter(
    (row) => row.project !== project && (wanted.get(row.kind) ?? []).includes(row.name),
  );
  if (foreign.length === 0) return;
  const issues = foreign.map((row) => ({
    path: docPath,
    // The owner is not named: the caller may not be allowed to see that project.
    message: `${row.kind} "${row.name}" belongs to another project; a run of project "${project}" can only use its own project's`,
  }));
  throw new AppError('BAD_REQUEST', `${issues[0].path}: ${issues[0].message}.`, {
    issues,
    hint: `Apply the ${foreign[0].kind} with metadata.namespace: ${project}, or bind one of project "${project}".`,
  });
}
