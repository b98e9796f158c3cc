/** Fake kwok nodes and the "cluster is usable" checks. */
import { FAKE_NODE_ANNOTATION } from './components';
import { type KubeConn, kubeRequest, tryKubeRequest } from './kube-http';

export const FAKE_NODE_LABEL = 'keelson.test/fake-node';

/**
 * Pods one fake node holds. kwok runs no containers, so the kubelet's default of 110 is no limit here: the 3 fake
 * nodes of a test cluster hold 15,000 pods, enough for the 10,000-app benchmark (one Deployment replica per app).
 */
export const FAKE_NODE_PODS = 5000;

export function fakeNode(name: string): Record<string, unknown> {
  const capacity = { cpu: '2000', memory: '16Ti', pods: String(FAKE_NODE_PODS), 'ephemeral-storage': '100Ti' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [FAKE_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        [FAKE_NODE_LABEL]: 'true',
        type: 'kwok',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': name,
        'kubernetes.io/role': 'agent',
      },
    },
    spec: {},
    status: {
      capacity,
      allocatable: capacity,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
        containerRuntimeVersion: 'kwok',
        kernelVersion: '',
        osImage: '',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
    },
  };
}

export async function createFakeNodes(conn: KubeConn, count: number): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `kwok-node-${i}`);
  for (const name of names) {
    const res = await kubeRequest(conn, 'POST', '/api/v1/nodes', fakeNode(name));
    if (res.status !== 201 && res.status !== 409)
      throw new Error(`creating node ${name}: HTTP ${res.status} ${res.body}`);
  }
  return names;
}

interface NodeList {
  items: {
    metadata: { name: string };
    spec?: { taints?: { key: string; effect: string }[] };
    status?: { conditions?: { type: string; status: string }[] };
  }[];
}

/** Names of fake nodes that are Ready and carry no NoSchedule/NoExecute taint. */
export async function schedulableFakeNodes(conn: KubeConn): Promise<string[]> {
  const res = await tryKubeRequest(conn, 'GET', `/api/v1/nodes?labelSelector=${encodeURIComponent(FAKE_NODE_LABEL)}`);
  if (res.status !== 200) return [];
  const list = JSON.parse(res.body) as NodeList;
  return list.items
    .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
    .filter((n) => !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
    .map((n) => n.metadata.name);
}

export async function apiserverReady(conn: KubeConn): Promise<boolean> {
  return (await tryKubeRequest(conn, 'GET', '/readyz')).status === 200;
}

export async function defaultServiceAccountExists(conn: KubeConn): Promise<boolean> {
  return (await tryKubeRequest(conn, 'GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200;
}
