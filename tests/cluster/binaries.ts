/**
 * Paths of the test-cluster binaries built by tests/cluster/build.sh.
 * Mirrors lib.sh: ${KEELSON_CACHE_DIR:-~/.cache/keelson}/<component>/<version>/bin/<binary>,
 * where <version> is the one pinned in tests/cluster/<component>/go.mod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const clusterSrcDir: string = dirname(fileURLToPath(import.meta.url));

export type Component = 'k8s' | 'etcd' | 'kwok' | 'helm' | 'kustomize' | 'containerd' | 'cni' | 'tekton';

export type BinaryName =
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kubectl'
  | 'kubelet'
  | 'etcd'
  | 'kwok'
  | 'helm'
  | 'kustomize'
  | 'containerd'
  | 'containerd-shim-runc-v2'
  | 'ctr'
  | 'bridge'
  | 'host-local'
  | 'loopback'
  | 'entrypoint';

const componentModule: Record<Component, string> = {
  k8s: 'k8s.io/kubernetes',
  etcd: 'go.etcd.io/etcd/server/v3',
  kwok: 'sigs.k8s.io/kwok',
  helm: 'helm.sh/helm/v3',
  kustomize: 'sigs.k8s.io/kustomize/kustomize/v5',
  containerd: 'github.com/containerd/containerd/v2',
  cni: 'github.com/containernetworking/plugins',
  tekton: 'github.com/tektoncd/pipeline',
};

const binaryComponent: Record<BinaryName, Component> = {
  'kube-apiserver': 'k8s',
  'kube-controller-manager': 'k8s',
  'kube-scheduler': 'k8s',
  kubectl: 'k8s',
  kubelet: 'k8s',
  etcd: 'etcd',
  kwok: 'kwok',
  helm: 'helm',
  kustomize: 'kustomize',
  containerd: 'containerd',
  'containerd-shim-runc-v2': 'containerd',
  ctr: 'containerd',
  bridge: 'cni',
  'host-local': 'cni',
  loopback: 'cni',
  entrypoint: 'tekton',
};

/** Env variables that override a binary's path (e.g. a system-wide helm). */
const envOverride: Partial<Record<BinaryName, string>> = {
  helm: 'KEELSON_HELM_BIN',
  kustomize: 'KEELSON_KUSTOMIZE_BIN',
  kubectl: 'KEELSON_KUBECTL_BIN',
};

export function cacheDir(): string {
  return process.env.KEELSON_CACHE_DIR ?? join(homedir(), '.cache', 'keelson');
}

/** The version pinned by the wrapper module's `require <module> <version>` line. */
export function componentVersion(component: Component): string {
  const goMod = readFileSync(join(clusterSrcDir, component, 'go.mod'), 'utf8');
  const mod = componentModule[component].replace(/[./]/g, (c) => `\\${c}`);
  const match = new RegExp(`^\\s*(?:require\\s+)?${mod}\\s+(v\\S+)`, 'm').exec(goMod);
  if (!match?.[1]) throw new Error(`no version for ${componentModule[component]} in ${component}/go.mod`);
  return match[1];
}

export function componentBinDir(component: Component): string {
  return join(cacheDir(), component, componentVersion(component), 'bin');
}

/** Absolute path of a binary (env override first). Does not check that it exists. */
export function binaryPath(name: BinaryName): string {
  const envName = envOverride[name];
  const fromEnv = envName ? process.env[envName] : undefined;
  if (fromEnv) return resolve(fromEnv);
  return join(componentBinDir(binaryComponent[name]), name);
}

/** Like binaryPath, but throws with a how-to-fix message when the file is missing. */
export function requireBinary(name: BinaryName): string {
  const path = binaryPath(name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found at ${path}. Build it with: bash tests/cluster/build.sh`);
  }
  return path;
}

export const helmBin = (): string => requireBinary('helm');
export const kustomizeBin = (): string => requireBinary('kustomize');
export const kubectlBin = (): string => requireBinary('kubectl');

export const controlPlaneBinaries: readonly BinaryName[] = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
];

/** Names of control-plane binaries that are not built yet. */
export function missingControlPlaneBinaries(): BinaryName[] {
  return controlPlaneBinaries.filter((b) => !existsSync(binaryPath(b)));
}

/** The real node's binaries (kubelet, containerd and its shim, the CNI plugins, Tekton's entrypoint for its image). */
export const realNodeBinaries: readonly BinaryName[] = [
  'kubelet',
  'containerd',
  'containerd-shim-runc-v2',
  'ctr',
  'bridge',
  'host-local',
  'loopback',
  'entrypoint',
];

export function missingRealNodeBinaries(): BinaryName[] {
  return realNodeBinaries.filter((b) => !existsSync(binaryPath(b)));
}
