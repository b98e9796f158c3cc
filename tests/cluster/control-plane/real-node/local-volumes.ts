/**
 * PersistentVolumeClaims on the real node: a default StorageClass `keelson-local` (provisioner keelson.dev/local-path,
 * WaitForFirstConsumer, reclaimPolicy Delete) and a minimal local-path provisioner, run as a process of the node
 * (local-volumes-process.ts, in the node's cgroup, pid file `local-volumes`), so it lives exactly as long as the node,
 * also for `cluster:up`, whose Node process exits.
 *
 * The scheduler picks the node for a pod with an unbound claim of that class and writes the annotation
 * volume.kubernetes.io/selected-node on the claim; for each such claim naming this node the provisioner makes a folder
 * <cluster dir>/real-node/volumes/pvc-<claim uid> and a hostPath PersistentVolume for it, pre-bound to the claim
 * (claimRef) with nodeAffinity to the node; kube-controller-manager's PV binder binds them. When a PV of ours is
 * Released (its claim deleted), the folder and the PV are deleted. Teardown removes the whole node dir.
 */
import { chmodSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type KubeConn, kubeRequest } from '../kube-http';
import { type ManagedProcess, startProcess } from '../processes';
import { cgroupProcsFiles, createCgroup } from './cgroups';

export const LOCAL_STORAGE_CLASS = 'keelson-local';
export const LOCAL_PROVISIONER = 'keelson.dev/local-path';
const SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
/** PV names we make (and the only ones whose folder we ever delete): pvc-<claim uid>. */
const OUR_PV_NAME = /^pvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface LocalVolumesConfig {
  conn: KubeConn;
  nodeName: string;
  /** <cluster dir>/real-node/volumes */
  volumesDir: string;
}

export function volumesDirOf(nodeDir: string): string {
  return join(nodeDir, 'volumes');
}

/** Function declarations: teardown.ts imports this module, which imports processes.ts, which imports teardown.ts. */
export function localVolumesConfigPath(nodeDir: string): string {
  return join(nodeDir, 'local-volumes.json');
}

/** Creates the default StorageClass (kept when it exists). */
export async function ensureLocalStorageClass(conn: KubeConn): Promise<void> {
  const res = await kubeRequest(conn, 'POST', '/apis/storage.k8s.io/v1/storageclasses', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name: LOCAL_STORAGE_CLASS,
      annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
    },
    provisioner: LOCAL_PROVISIONER,
    volumeBindingMode: 'WaitForFirstConsumer',
    reclaimPolicy: 'Delete',
  });
  if (res.status !== 201 && res.status !== 409) {
    throw new Error(`creating StorageClass ${LOCAL_STORAGE_CLASS}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  }
}

/** Starts the provisioner process in its own cgroup below the node's (teardown kills everything there). */
export function startLocalVolumes(o: {
  dir: string;
  nodeDir: string;
  cgroupRoot: string;
  conn: KubeConn;
  nodeName: string;
}): ManagedProcess {
  const config: LocalVolumesConfig = { conn: o.conn, nodeName: o.nodeName, volumesDir: volumesDirOf(o.nodeDir) };
  mkdirSync(config.volumesDir, { recursive: true });
  const configPath = localVolumesConfigPath(o.nodeDir);
  writeFileSync(configPath, `${JSON.stringify(config)}\n`, { mode: 0o600 }); // holds the admin token
  const cgroup = `${o.cgroupRoot}/local-volumes`;
  createCgroup(cgroup);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const main = join(dirname(fileURLToPath(import.meta.url)), 'local-volumes-process.ts');
  const node = realpathSync(process.execPath);
  return startProcess(
    o.dir,
    'local-volumes',
    node,
    ['--import', tsx, main, '--config', configPath],
    process.env,
    cgroupProcsFiles(cgroup),
  );
}

interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
}
interface Claim {
  metadata: Meta;
  spec: {
    storageClassName?: string;
    volumeName?: string;
    accessModes?: string[];
    volumeMode?: string;
    resources?: { requests?: { storage?: string } };
  };
  status?: { phase?: string };
}
interface Volume {
  metadata: Meta;
  spec: { hostPath?: { path: string }; persistentVolumeReclaimPolicy?: string; storageClassName?: string };
  status?: { phase?: string };
}

/** The PersistentVolume for `claim`: a hostPath folder on the node, pre-bound to the claim. */
export function volumeFor(claim: Claim, cfg: LocalVolumesConfig): Record<string, unknown> {
  const name = `pvc-${claim.metadata.uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [PROVISIONED_BY]: LOCAL_PROVISIONER } },
    spec: {
      capacity: { storage: claim.spec.resources?.requests?.storage ?? '1Gi' },
      accessModes: claim.spec.accessModes?.length ? claim.spec.accessModes : ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: LOCAL_STORAGE_CLASS,
      hostPath: { path: join(cfg.volumesDir, name), type: 'Directory' },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        namespace: claim.metadata.namespace,
        name: claim.metadata.name,
        uid: claim.metadata.uid,
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [cfg.nodeName] }] },
          ],
        },
      },
    },
  };
}

async function list<T>(conn: KubeConn, path: string): Promise<T[]> {
  const res = await kubeRequest(conn, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (JSON.parse(res.body) as { items: T[] }).items;
}

export interface ReconcileReport {
  provisioned: string[];
  deleted: string[];
  problems: string[];
}

/** One pass: provisions the claims waiting for this node, deletes our Released volumes. */
export async function reconcileLocalVolumes(cfg: LocalVolumesConfig): Promise<ReconcileReport> {
  const report: ReconcileReport = { provisioned: [], deleted: [], problems: [] };
  const [claims, volumes] = await Promise.all([
    list<Claim>(cfg.conn, '/api/v1/persistentvolumeclaims'),
    list<Volume>(cfg.conn, '/api/v1/persistentvolumes'),
  ]);
  const existing = new Set(volumes.map((v) => v.metadata.name));
  for (const claim of claims) {
    const m = claim.metadata;
    if (claim.spec.storageClassName !== LOCAL_STORAGE_CLASS || claim.spec.volumeName || m.deletionTimestamp) continue;
    if (claim.status?.phase !== 'Pending' || m.annotations?.[SELECTED_NODE] !== cfg.nodeName) continue;
    const name = `pvc-${m.uid}`;
    if (existing.has(name)) continue;
    if (claim.spec.volumeMode === 'Block') {
      report.problems.push(`${m.namespace}/${m.name}: volumeMode Block is not supported by ${LOCAL_PROVISIONER}`);
      continue;
    }
    const pv = volumeFor(claim, cfg);
    const dir = join(cfg.volumesDir, name);
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777); // any pod user may write, as rancher's local-path-provisioner makes them
    const res = await kubeRequest(cfg.conn, 'POST', '/api/v1/persistentvolumes', pv);
    if (res.status === 201 || res.status === 409) report.provisioned.push(`${m.namespace}/${m.name} -> ${name}`);
    else report.problems.push(`creating ${name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  }
  for (const v of volumes) {
    const name = v.metadata.name;
    const ours =
      v.metadata.annotations?.[PROVISIONED_BY] === LOCAL_PROVISIONER &&
      OUR_PV_NAME.test(name) &&
      v.spec.hostPath?.path === join(cfg.volumesDir, name);
    if (!ours || v.status?.phase !== 'Released' || v.spec.persistentVolumeReclaimPolicy !== 'Delete') continue;
    rmSync(join(cfg.volumesDir, name), { recursive: true, force: true });
    const res = await kubeRequest(cfg.conn, 'DELETE', `/api/v1/persistentvolumes/${name}`);
    if (res.status === 200 || res.status === 202 || res.status === 404) report.deleted.push(name);
    else report.problems.push(`deleting ${name}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  }
  return report;
}
