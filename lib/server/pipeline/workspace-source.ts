import { createHash } from 'node:crypto';
import type { TVolumeProjection, TWorkspaceBinding } from '@/lib/domain/pipeline/spec-schemas';
import type { VolumeFilePlan, WorkspaceSource } from '@/lib/domain/pipeline/task-run-plan';
import { subPathSegments } from '@/lib/domain/pipeline/workspace-paths';
import type { CompanionData } from './companion-data';

/**
 * The name upstream gives the PersistentVolumeClaim of a volumeClaimTemplate workspace
 * (pkg/reconciler/volumeclaim GeneratePVCNameFromWorkspaceBinding): the template's metadata.name or "pvc", then the
 * first 10 hex digits of sha256(workspace name + owner uid). The owner is the PipelineRun (or a standalone
 * TaskRun), so every TaskRun of one run mounts the same claim, and another run gets its own.
 */
export function volumeClaimTemplateName(
  template: Record<string, unknown>,
  workspace: string,
  ownerUid: string,
): string {
  const metadata = template.metadata as { name?: unknown } | undefined;
  const prefix = typeof metadata?.name === 'string' && metadata.name !== '' ? metadata.name : 'pvc';
  const hash = createHash('sha256').update(`${workspace}${ownerUid}`).digest('hex').slice(0, 10);
  return `${prefix}-${hash}`;
}

type Items = readonly { key: string; path: string }[] | undefined;

/** The files a ConfigMap or Secret shows in a volume, as a pod would: every key, or only its items. */
function files(kind: 'ConfigMap' | 'Secret', name: string, items: Items, companions: CompanionData): VolumeFilePlan[] {
  const text = kind === 'ConfigMap' ? companions.configMaps[name] : undefined;
  const binary = kind === 'ConfigMap' ? companions.configMapBinary?.[name] : undefined;
  const secretKeys = kind === 'Secret' ? Object.keys(companions.secrets[name] ?? {}) : [];
  const keys = kind === 'Secret' ? secretKeys : [...Object.keys(text ?? {}), ...Object.keys(binary ?? {})];
  const chosen = items ?? keys.map((key) => ({ key, path: key }));
  return chosen.flatMap(({ key, path }): VolumeFilePlan[] => {
    if (!keys.includes(key)) return [];
    const file = subPathSegments(path).join('/');
    if (kind === 'Secret') return [{ path: file, secret: { secret: name, key } }];
    return [text && Object.hasOwn(text, key) ? { path: file, value: text[key] } : { path: file, base64: binary![key] }];
  });
}

/**
 * A workspace binding's volume as a Kubernetes executor makes it (WorkspacePlan.source). ConfigMap files carry
 * their values, Secret files only references (as Task volumes'). A projected binding with sources only a cluster
 * provides (downwardAPI, serviceAccountToken, clusterTrustBundle) keeps those verbatim beside its files; the local
 * executor refuses it, and a `csi` binding, at run time (VolumeSourceUnsupported).
 */
export function workspaceSource(
  b: TWorkspaceBinding,
  ownerUid: string,
  companions: CompanionData,
): WorkspaceSource | undefined {
  if (b.emptyDir) return { kind: 'emptyDir', ...(b.emptyDir.medium ? { medium: b.emptyDir.medium } : {}) };
  if (b.persistentVolumeClaim) {
    const { claimName } = b.persistentVolumeClaim;
    const claimSpec = companions.claims?.[claimName];
    return { kind: 'persistentVolumeClaim', claimName, ...(claimSpec ? { claimSpec } : {}) };
  }
  if (b.volumeClaimTemplate) {
    const template = b.volumeClaimTemplate as Record<string, unknown>;
    return { kind: 'volumeClaimTemplate', claimName: volumeClaimTemplateName(template, b.name, ownerUid), template };
  }
  if (b.configMap) return { kind: 'files', files: files('ConfigMap', b.configMap.name, b.configMap.items, companions) };
  if (b.secret) return { kind: 'files', files: files('Secret', b.secret.secretName, b.secret.items, companions) };
  if (b.projected) {
    const all: VolumeFilePlan[] = [];
    const cluster: Record<string, unknown>[] = [];
    for (const s of b.projected.sources as readonly TVolumeProjection[]) {
      if (s.configMap) all.push(...files('ConfigMap', s.configMap.name, s.configMap.items, companions));
      else if (s.secret) all.push(...files('Secret', s.secret.name, s.secret.items, companions));
      else cluster.push(s as Record<string, unknown>);
    }
    if (cluster.length === 0) return { kind: 'files', files: all };
    const { defaultMode } = b.projected;
    return { kind: 'projected', files: all, sources: cluster, ...(defaultMode === undefined ? {} : { defaultMode }) };
  }
  if (b.csi) return { kind: 'csi', csi: b.csi };
  return undefined;
}
