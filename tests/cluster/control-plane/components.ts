/** Command lines of the control-plane components (all on 127.0.0.1). */
import { dirname, join } from 'node:path';
import type { Credentials } from './credentials';

export interface Ports {
  etcdClient: number;
  etcdPeer: number;
  apiserver: number;
  kwok: number;
}

/** A /16 (65,534 ClusterIPs): benchmarks create a Service per app for 10,000 apps. */
export const SERVICE_CIDR = '10.96.0.0/16';
/** The first address of the service range: the `kubernetes` Service's ClusterIP (in the serving certificate). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
export const POD_CIDR = '10.244.0.0/16';
export const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

export function etcdArgs(dir: string, ports: Ports): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    '--name=keelson',
    `--data-dir=${join(dir, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=keelson=${peer}`,
    '--unsafe-no-fsync', // test data only: trade durability for speed
    '--log-level=warn',
  ];
}

export function apiserverArgs(dir: string, ports: Ports, creds: Credentials): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${ports.apiserver}`,
    `--cert-dir=${join(dir, 'apiserver-certs')}`,
    `--tls-cert-file=${creds.servingCert}`,
    `--tls-private-key-file=${creds.servingKey}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--endpoint-reconciler-type=none',
    '--service-account-issuer=https://kubernetes.default.svc',
    `--service-account-key-file=${creds.saPub}`,
    `--service-account-signing-key-file=${creds.saKey}`,
    `--token-auth-file=${creds.tokenFile}`,
    // Real nodes: kubelets authenticate with client certificates (CN=system:node:<name>) and are limited by
    // the Node authorizer and NodeRestriction; the apiserver reaches them by their InternalIP with its own
    // client certificate and checks their serving certificate against the cluster CA.
    `--client-ca-file=${creds.caCert}`,
    '--authorization-mode=Node,RBAC',
    '--enable-admission-plugins=NodeRestriction',
    '--kubelet-preferred-address-types=InternalIP',
    `--kubelet-client-certificate=${creds.kubeletClientCert}`,
    `--kubelet-client-key=${creds.kubeletClientKey}`,
    `--kubelet-certificate-authority=${creds.caCert}`,
    '--allow-privileged=true',
    '--profiling=false',
  ];
}

export function controllerManagerArgs(kubeconfig: string, creds: Credentials): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--secure-port=0',
    `--service-account-private-key-file=${creds.saKey}`,
    `--root-ca-file=${creds.caCert}`,
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    // Its default, /usr/libexec/kubernetes/kubelet-plugins/volume/exec, would be created on the host.
    `--flex-volume-plugin-dir=${join(dirname(kubeconfig), 'flex-volume-plugins')}`,
    '--profiling=false',
  ];
}

export function schedulerArgs(kubeconfig: string): string[] {
  return [`--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0', '--profiling=false'];
}

export function kwokArgs(kubeconfig: string, stagesFile: string, ports: Ports): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--config=${stagesFile}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
    `--cidr=${POD_CIDR}`,
    '--node-ip=10.244.255.1',
    `--server-address=127.0.0.1:${ports.kwok}`,
    '--node-lease-duration-seconds=40',
  ];
}
