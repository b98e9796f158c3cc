import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BoundWorkspace } from '@/lib/domain/pipeline/resolve-task-run';
import type { TWorkspaceBinding } from '@/lib/domain/pipeline/spec-schemas';
import { AppError } from '@/lib/errors';
import type { CompanionData } from './companion-data';

export interface WorkspaceFolders {
  /** `<data>/runs/<pipelinerun>`: emptyDir and volumeClaimTemplate workspaces live here, per run. */
  runDir: string;
  /** `<data>/volumes`: one persistent folder per PersistentVolumeClaim, shared by every run binding it. */
  volumesDir: string;
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

function within(base: string, sub: string | undefined): string {
  const target = path.resolve(base, sub ?? '.');
  if (target !== base && !target.startsWith(`${base}${path.sep}`)) {
    throw new AppError('BAD_REQUEST', `subPath "${sub}" leaves its workspace.`, { hint: 'Use a relative subPath without "..".' });
  }
  return target;
}

/** Writes ConfigMap or Secret data as files, the way a Kubernetes volume would show them. */
async function materialize(dir: string, data: Record<string, string>, items?: { key: string; path: string }[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = items ? items.filter((i) => i.key in data).map((i) => [i.path, data[i.key]] as const) : Object.entries(data);
  for (const [file, value] of entries) {
    const target = within(dir, file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, value, { mode: 0o600 });
  }
}

/**
 * Turns a PipelineRun's workspace bindings into folders on the worker, keyed by pipeline workspace
 * name (subPath of the binding included). Missing ConfigMaps or Secrets are an error unless optional.
 */
export async function prepareWorkspaces(bindings: readonly TWorkspaceBinding[], folders: WorkspaceFolders, companions: CompanionData): Promise<Record<string, BoundWorkspace>> {
  const out: Record<string, BoundWorkspace> = {};
  for (const b of bindings) {
    let base: string;
    let extra: Partial<BoundWorkspace> = {};
    if (b.persistentVolumeClaim) {
      base = path.join(folders.volumesDir, safe(b.persistentVolumeClaim.claimName));
      extra = { claim: b.persistentVolumeClaim.claimName, readOnly: b.persistentVolumeClaim.readOnly };
    } else if (b.configMap) {
      base = path.join(folders.runDir, 'workspaces', safe(b.name));
      const data = companions.configMaps[b.configMap.name];
      if (!data && !b.configMap.optional) throw new AppError('BAD_REQUEST', `ConfigMap "${b.configMap.name}" for workspace "${b.name}" was never applied.`, { hint: 'Apply the ConfigMap in the same file or before the run.' });
      await materialize(base, data ?? {}, b.configMap.items);
      extra = { readOnly: true };
    } else if (b.secret) {
      base = path.join(folders.runDir, 'workspaces', safe(b.name));
      const data = companions.secrets[b.secret.secretName];
      if (!data && !b.secret.optional) throw new AppError('BAD_REQUEST', `Secret "${b.secret.secretName}" for workspace "${b.name}" was never applied.`, { hint: 'Apply the Secret in the same file or before the run.' });
      await materialize(base, data ?? {}, b.secret.items);
      extra = { readOnly: true, secretRefs: Object.keys(data ?? {}).map((key) => ({ secret: b.secret!.secretName, key })) };
    } else {
      base = path.join(folders.runDir, 'workspaces', safe(b.name));
    }
    const hostPath = within(base, b.subPath);
    await mkdir(hostPath, { recursive: true });
    out[b.name] = { hostPath, ...extra };
  }
  return out;
}
