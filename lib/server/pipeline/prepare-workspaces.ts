import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { makeFolders, UnsafePathError, writeFileSafely } from '@/lib/adapters/executors/local/safe-path';
import { stepUser } from '@/lib/adapters/executors/local/step-user';
import type { BoundWorkspace } from '@/lib/domain/pipeline/resolve-task-run';
import type { TVolumeProjection, TWorkspaceBinding } from '@/lib/domain/pipeline/spec-schemas';
import {
  CLAIM_HINT,
  isClaimName,
  SUBPATH_HINT,
  subPathMessage,
  subPathProblem,
  subPathSegments,
} from '@/lib/domain/pipeline/workspace-paths';
import { DNS_LABEL } from '@/lib/domain/pipeline/param-schemas';
import { AppError } from '@/lib/errors';
import type { CompanionData } from './companion-data';
import { workspaceSource } from './workspace-source';

export interface WorkspaceFolders {
  /** `<data>/runs/<pipelinerun>`: emptyDir and volumeClaimTemplate workspaces live here, per run. */
  runDir: string;
  /** `<data>/volumes`: one persistent folder per PersistentVolumeClaim, shared by every run binding it. */
  volumesDir: string;
  /** The host user steps run as when Keelson runs as root (KEELSON_STEP_USER; default `keelson-step`). */
  stepUser?: string;
  /** The PipelineRun's (or standalone TaskRun's) uid: it names the claims of volumeClaimTemplate workspaces. */
  ownerUid?: string;
}

function refuse(field: string, message: string, hint: string): never {
  throw new AppError('BAD_REQUEST', message, { issues: [{ path: field, message }], hint });
}

/** A relative path's folder names; the schema already refused these, this holds for documents stored before it did. */
function checkedNames(value: string | undefined, field: string): string[] {
  const problem = value === undefined ? undefined : subPathProblem(value);
  if (problem) refuse(field, subPathMessage(field, value ?? '', problem), `Fix ${field}: ${SUBPATH_HINT}.`);
  return subPathSegments(value);
}

/** Folders are made without following symlinks: a step may have planted one in a persistent volume. */
function folders(root: string, names: readonly string[], field: string): string {
  try {
    return makeFolders(root, names);
  } catch (error) {
    if (error instanceof UnsafePathError) throw new UnsafeWorkspace(`${field} cannot be used: ${error.message}`);
    throw error;
  }
}

class UnsafeWorkspace extends Error {}

/**
 * Who may read ConfigMap and Secret files besides Keelson: when Keelson runs as root, steps run as
 * the step user (KEELSON_STEP_USER), so the files are root's with that user's group and 0640; else
 * steps run as Keelson's own user and the files are 0600. Nobody else reads them, and steps only
 * ever see them through a read-only bind.
 */
function stepReader(name: string): { uid: number; gid: number } | undefined {
  const user = stepUser(name);
  return user && { uid: process.getuid?.() ?? 0, gid: user.gid };
}

/** Writes ConfigMap or Secret data as files, the way a Kubernetes volume would show them. */
function materialize(
  root: string,
  names: string[],
  data: Record<string, string | Uint8Array>,
  items: { key: string; path: string }[] | undefined,
  field: string,
  stepUserName: string,
): void {
  folders(root, names, field);
  const entries = items
    ? items.flatMap((item, i) =>
        Object.hasOwn(data, item.key)
          ? [{ file: item.path, value: data[item.key], field: `${field}.items[${i}].path` }]
          : [],
      )
    : Object.entries(data).map(([file, value]) => ({ file, value, field: `${field}: key "${file}"` }));
  for (const { file, value, field: where } of entries) {
    const parts = checkedNames(file, where);
    if (parts.length === 0) refuse(where, `${where} names no file.`, 'Give a file name such as "config.json".');
    try {
      const reader = stepReader(stepUserName);
      writeFileSafely(
        root,
        [...names, ...parts.slice(0, -1)],
        parts[parts.length - 1],
        value,
        reader ? 0o640 : 0o600,
        reader,
      );
    } catch (error) {
      if (error instanceof UnsafePathError)
        refuse(where, `${where} cannot be written: ${error.message}.`, 'Give each key its own file name.');
      throw error;
    }
  }
}

/**
 * A ConfigMap's files: its data as text and its binaryData as bytes (keys never clash, the schema refuses that).
 * Kubernetes shows both in configMap volumes; only `data` reaches env.
 */
function configMapFiles(companions: CompanionData): Record<string, Record<string, string | Uint8Array>> {
  const out: Record<string, Record<string, string | Uint8Array>> = { ...companions.configMaps };
  for (const [name, binary] of Object.entries(companions.configMapBinary ?? {}))
    out[name] = {
      ...Object.fromEntries(Object.entries(binary).map(([key, b64]) => [key, Buffer.from(b64, 'base64')])),
      ...out[name],
    };
  return out;
}

/** The data of the ConfigMap or Secret a workspace binds; none (empty) when it is optional and was never applied. */
function appliedData(
  kind: 'ConfigMap' | 'Secret',
  name: string,
  workspace: string,
  applied: Record<string, Record<string, string | Uint8Array>>,
  optional: boolean | undefined,
): Record<string, string | Uint8Array> {
  const data = applied[name];
  if (!data && !optional)
    throw new AppError('BAD_REQUEST', `${kind} "${name}" for workspace "${workspace}" was never applied.`, {
      hint: `Apply the ${kind} in the same file or before the run.`,
    });
  return data ?? {};
}

/**
 * Turns a PipelineRun's workspace bindings into folders on the worker, keyed by pipeline workspace
 * name (subPath of the binding included). Missing ConfigMaps or Secrets are an error unless optional.
 * Every folder is made name by name without following a symlink, and each workspace records its
 * root (the volume's own folder), from which the executor re-checks the path before every step.
 */
export async function prepareWorkspaces(
  bindings: readonly TWorkspaceBinding[],
  dirs: WorkspaceFolders,
  companions: CompanionData,
): Promise<Record<string, BoundWorkspace>> {
  const out: Record<string, BoundWorkspace> = {};
  const runWorkspaces = path.join(dirs.runDir, 'workspaces');
  const stepUserName = dirs.stepUser ?? 'keelson-step';
  for (const [i, b] of bindings.entries()) {
    const field = `spec.workspaces[${i}]`;
    if (!DNS_LABEL.test(b.name))
      refuse(
        `${field}.name`,
        `workspace name "${b.name}" is not a DNS-1123 label.`,
        'Use the name the Task or Pipeline declares.',
      );
    const sub = checkedNames(b.subPath, `${field}.subPath`);
    let parent = runWorkspaces;
    let own = b.name;
    let extra: Partial<BoundWorkspace> = {};
    if (b.persistentVolumeClaim) {
      const claim = b.persistentVolumeClaim.claimName;
      if (!isClaimName(claim))
        refuse(
          `${field}.persistentVolumeClaim.claimName`,
          `claimName "${claim}" is not a DNS-1123 label.`,
          `Fix claimName: ${CLAIM_HINT}.`,
        );
      parent = dirs.volumesDir;
      own = claim;
      extra = { claim, readOnly: b.persistentVolumeClaim.readOnly };
    } else if (b.configMap) {
      const data = appliedData('ConfigMap', b.configMap.name, b.name, configMapFiles(companions), b.configMap.optional);
      makeParent(parent);
      materialize(parent, [own], data, b.configMap.items, `${field}.configMap`, stepUserName);
      extra = { readOnly: true };
    } else if (b.secret) {
      const data = appliedData('Secret', b.secret.secretName, b.name, companions.secrets, b.secret.optional);
      makeParent(parent);
      materialize(parent, [own], data, b.secret.items, `${field}.secret`, stepUserName);
      extra = {
        readOnly: true,
        secretRefs: Object.keys(data).map((key) => ({ secret: b.secret!.secretName, key })),
      };
    } else if (b.projected) {
      makeParent(parent);
      extra = project(parent, own, b.name, b.projected.sources, `${field}.projected`, companions, stepUserName);
    }
    // A csi binding gets an empty folder: the local executor refuses its TaskRuns at run time (localRefusal).
    makeParent(parent);
    const root = path.join(parent, own);
    // What a Kubernetes executor mounts instead of the folder (the local executor ignores it).
    const source = workspaceSource(b, dirs.ownerUid ?? '', companions);
    // `$(workspaces.<w>.claim)`: upstream turns a volumeClaimTemplate binding into one of the claim it makes.
    if (source?.kind === 'volumeClaimTemplate') extra.claim = source.claimName;
    extra = { ...extra, ...(source ? { source } : {}), ...(sub.length > 0 ? { subPath: sub.join('/') } : {}) };
    try {
      folders(parent, [own], field);
      out[b.name] = { hostPath: folders(root, sub, `${field}.subPath`), root, ...extra };
    } catch (error) {
      // The TaskRuns that use this workspace fail with the reason; the rest of the run goes on.
      if (!(error instanceof UnsafeWorkspace)) throw error;
      const shown = b.persistentVolumeClaim ? `persistentVolumeClaim "${own}"` : `workspace "${b.name}"`;
      // Users read the problem in the TaskRun status: name the volume, never the worker's folders.
      const problem = error.message.split(root).join(`<${shown}>`).split(parent).join('<worker folder>');
      out[b.name] = { hostPath: path.join(root, ...sub), root, ...extra, problem };
    }
  }
  return out;
}

/**
 * A projected workspace: the files of each ConfigMap and Secret source in one read-only folder, as
 * Kubernetes shows a projected volume. Sources only a cluster provides (downwardAPI,
 * serviceAccountToken, clusterTrustBundle) are left to the Kubernetes executor (WorkspacePlan.source):
 * the local executor refuses the TaskRuns that use such a workspace at run time (localRefusal).
 */
function project(
  parent: string,
  own: string,
  workspace: string,
  sources: readonly TVolumeProjection[],
  field: string,
  companions: CompanionData,
  stepUserName: string,
): Partial<BoundWorkspace> {
  const secretRefs: { secret: string; key: string }[] = [];
  folders(parent, [own], field);
  for (const [i, source] of sources.entries()) {
    if (source.configMap) {
      const { name, items, optional } = source.configMap;
      const data = appliedData('ConfigMap', name, workspace, configMapFiles(companions), optional);
      materialize(parent, [own], data, items, `${field}.sources[${i}].configMap`, stepUserName);
    } else if (source.secret) {
      const { name, items, optional } = source.secret;
      const data = appliedData('Secret', name, workspace, companions.secrets, optional);
      materialize(parent, [own], data, items, `${field}.sources[${i}].secret`, stepUserName);
      secretRefs.push(...Object.keys(data).map((key) => ({ secret: name, key })));
    }
  }
  return { readOnly: true, ...(secretRefs.length > 0 ? { secretRefs } : {}) };
}

/** `<data>/volumes` and `<run>/workspaces` are the worker's own folders, out of every step's sight. */
function makeParent(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
