/**
 * containerd v2.4 config (schema version 4, as `containerd config default` prints it) for one real node:
 * every path (root, state, sockets, shim sockets, runc state, netns mounts) is the node's own, nothing
 * is read from /etc/containerd or written to /opt, /run/containerd or /var/run/netns.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeLayout } from './layout';

export const SANDBOX_IMAGE = 'registry.k8s.io/pause:3.10';

/** Registries whose image names resolve to the local registry, unchanged ("_default" catches the rest). */
export const MIRRORED_REGISTRIES = [
  'docker.io',
  'registry.k8s.io',
  'ghcr.io',
  'quay.io',
  'mirror.gcr.io',
  'gcr.io',
  '_default',
] as const;

/** certs.d/<registry>/hosts.toml pointing every registry at http://<registry> (pull + resolve only). */
export function writeRegistryHosts(certsDir: string, registry: string): void {
  for (const name of MIRRORED_REGISTRIES) {
    mkdirSync(join(certsDir, name), { recursive: true });
    const server = name === '_default' ? '' : `server = "http://${registry}"\n\n`;
    writeFileSync(
      join(certsDir, name, 'hosts.toml'),
      `${server}[host."http://${registry}"]\n  capabilities = ["pull", "resolve"]\n  skip_verify = true\n`,
    );
  }
}

const q = (s: string): string => JSON.stringify(s);

/** Plugins a test node does not need (no snapshotters but overlayfs, no NRI socket in /var/run/nri). */
const DISABLED_PLUGINS = [
  'io.containerd.nri.v1.nri',
  'io.containerd.snapshotter.v1.blockfile',
  'io.containerd.snapshotter.v1.erofs',
  'io.containerd.differ.v1.erofs',
  'io.containerd.mount-handler.v1.erofs',
  'io.containerd.image-verifier.v1.bindir',
  'io.containerd.monitor.container.v1.restart',
  'io.containerd.tracing.processor.v1.otlp',
  'io.containerd.internal.v1.tracing',
];

export function containerdConfig(l: NodeLayout, cniBinDir: string, runcPath: string): string {
  return `version = 4
root = ${q(l.containerdRoot)}
state = ${q(l.containerdState)}
temp = ${q(join(l.runDir, 'tmp'))}
imports = []
disabled_plugins = ${JSON.stringify(DISABLED_PLUGINS)}

[plugins]
  [plugins.'io.containerd.server.v1.grpc']
    address = ${q(l.containerdSocket)}
  [plugins.'io.containerd.server.v1.ttrpc']
    address = ${q(`${l.containerdSocket}.ttrpc`)}
  [plugins.'io.containerd.server.v1.debug']
    address = ''
  [plugins.'io.containerd.server.v1.metrics']
    address = ''
  [plugins.'io.containerd.internal.v1.opt']
    path = ${q(join(l.containerdRoot, 'opt'))}
  [plugins.'io.containerd.shim.v1.manager']
    socket_dir = ${q(l.shimSocketDir)}
  [plugins.'io.containerd.transfer.v1.local']
    config_path = ${q(l.certsDir)}

  [plugins.'io.containerd.cri.v1.images']
    snapshotter = 'overlayfs'
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = ${q(SANDBOX_IMAGE)}
    [plugins.'io.containerd.cri.v1.images'.registry]
      config_path = ${q(l.certsDir)}

  [plugins.'io.containerd.cri.v1.runtime']
    # root here may lack CAP_SYS_RESOURCE: without this every pod fails with
    # "can't get final child's PID from pipe: EOF"
    restrict_oom_score_adj = true
    netns_mounts_under_state_dir = true
    cdi_spec_dirs = []
    [plugins.'io.containerd.cri.v1.runtime'.containerd]
      default_runtime_name = 'runc'
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
        runtime_type = 'io.containerd.runc.v2'
        [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
          BinaryName = ${q(runcPath)}
          Root = ${q(l.runcRoot)}
          SystemdCgroup = false
    [plugins.'io.containerd.cri.v1.runtime'.cni]
      bin_dirs = [${q(cniBinDir)}]
      conf_dir = ${q(l.cniConfDir)}
      max_conf_num = 1
      # containerd brings lo up itself: no loopback plugin run, no cni-loopback-* files in /var/lib/cni
      use_internal_loopback = true

  [plugins.'io.containerd.grpc.v1.cri']
    stream_server_address = '127.0.0.1'
    stream_server_port = '0'
`;
}
