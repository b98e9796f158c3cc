/** The real node as the API server sees it: Ready, and removing its pods before teardown. */
import { type KubeConn, kubeRequest, tryKubeRequest } from '../kube-http';
import { cgroupPids } from './cgroups';

interface NodeStatus {
  status?: { conditions?: { type: string; status: string }[] };
}

export async function nodeReady(conn: KubeConn, nodeName: string): Promise<boolean> {
  const res = await tryKubeRequest(conn, 'GET', `/api/v1/nodes/${nodeName}`);
  if (res.status !== 200) return false;
  const node = JSON.parse(res.body) as NodeStatus;
  return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

interface PodList {
  items: { metadata: { name: string; namespace: string } }[];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Deletes every pod bound to the node (grace 0) and waits up to `waitMs` until kubelet has stopped their
 * containers (no process left under <cgroupRoot>/kubepods; kubelet still gives each 2 s to stop).
 * Whatever is left then is killed by cgroup in the teardown. Returns how many pods were deleted.
 */
export async function deletePodsOnNode(
  conn: KubeConn,
  nodeName: string,
  cgroupRoot: string,
  waitMs = 4000,
): Promise<number> {
  const selector = encodeURIComponent(`spec.nodeName=${nodeName}`);
  const res = await tryKubeRequest(conn, 'GET', `/api/v1/pods?fieldSelector=${selector}`);
  if (res.status !== 200) return 0;
  const pods = (JSON.parse(res.body) as PodList).items;
  await Promise.all(
    pods.map((p) =>
      kubeRequest(
        conn,
        'DELETE',
        `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}?gracePeriodSeconds=0`,
      ).catch(() => undefined),
    ),
  );
  const deadline = Date.now() + waitMs;
  while (cgroupPids(`${cgroupRoot}/kubepods`).length > 0 && Date.now() < deadline) await sleep(100);
  return pods.length;
}
