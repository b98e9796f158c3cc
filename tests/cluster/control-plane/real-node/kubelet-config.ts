/** kubelet's config file and command line for one real node (every setting here was needed on a test VM). */
import { join } from 'node:path';
import type { NodeLayout } from './layout';
import type { NodeCredentials } from './node-credentials';

export const REAL_NODE_LABEL = 'keelson.dev/real-node';

export function kubeletConfig(l: NodeLayout, creds: NodeCredentials, port: number): Record<string, unknown> {
  return {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Serving: only on the bridge IP, only for the cluster's clients (apiserver: system:masters cert).
    address: l.nodeIP,
    port,
    readOnlyPort: 0,
    healthzPort: 0,
    tlsCertFile: creds.servingCert,
    tlsPrivateKeyFile: creds.servingKey,
    authentication: {
      x509: { clientCAFile: creds.caCert },
      webhook: { enabled: true },
      anonymous: { enabled: false },
    },
    authorization: { mode: 'Webhook' },
    // The host: cgroup v1 (hybrid), no systemd driver, swap allowed, its own cgroup root.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: l.cgroupRoot,
    failSwapOn: false,
    // Otherwise kubelet adds KUBE-IPTABLES-HINT/KUBE-FIREWALL chains to the host's iptables.
    makeIPTablesUtilChains: false,
    // kubelet then sets vm.overcommit_memory & co; host-state.ts saves and restores them.
    protectKernelDefaults: false,
    containerRuntimeEndpoint: `unix://${l.containerdSocket}`,
    podLogsDir: l.podLogsDir,
    volumePluginDir: join(l.kubeletRoot, 'volume-plugins'),
    staticPodPath: '',
    // A small, shared disk: evict only when it is really full, never collect test images.
    evictionHard: {
      'memory.available': '50Mi',
      'nodefs.available': '1%',
      'nodefs.inodesFree': '1%',
      'imagefs.available': '1%',
      'imagefs.inodesFree': '1%',
    },
    evictionPressureTransitionPeriod: '10s',
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    localStorageCapacityIsolation: true,
    // Quick status for tests: node Ready and pod updates within about a second.
    nodeStatusUpdateFrequency: '2s',
    nodeStatusReportFrequency: '10s',
    syncFrequency: '10s',
    fileCheckFrequency: '20s',
    // Back-off starts at 10 s and is capped at 30 s (upstream: 300 s): the first restart is as quick as ever,
    // and a crashing container really waits in CrashLoopBackOff (with a 10 s cap it waited only milliseconds,
    // since the pod worker's own retry is 10-15 s, so no one ever saw the state).
    crashLoopBackOff: { maxContainerRestartPeriod: '30s' },
    shutdownGracePeriod: '0s',
    registerNode: true,
    registerWithTaints: [{ key: REAL_NODE_LABEL, value: 'true', effect: 'NoSchedule' }],
    resolvConf: '/etc/resolv.conf',
    enableDebuggingHandlers: true,
    rotateCertificates: false,
    serverTLSBootstrap: false,
  };
}

export function kubeletArgs(l: NodeLayout, creds: NodeCredentials, configPath: string): string[] {
  return [
    `--config=${configPath}`,
    `--kubeconfig=${creds.kubeconfig}`,
    `--root-dir=${l.kubeletRoot}`,
    `--cert-dir=${join(l.kubeletRoot, 'pki')}`,
    `--hostname-override=${l.nodeName}`,
    `--node-ip=${l.nodeIP}`,
    `--node-labels=${REAL_NODE_LABEL}=true`,
    '--v=1',
  ];
}
