/**
 * Follows one pod: a watch from a resourceVersion (field selector on its name, bookmarks on), re-watched from the
 * last version seen when the server ends it, and re-read (GET) after 410 Gone or any failure, so no change is missed
 * for longer than a back-off. `onPod(undefined)` once the pod is gone.
 */
import type { KubeConnection, KubeStream } from '../../k8s/connection';
import { errorFromResponse } from '../../k8s/errors';
import type { PodObject } from './pod-types';

export interface PodWatch {
  stop(): void;
  /** Reads the pod now (e.g. after a timer fired) and hands it to onPod. */
  refresh(): void;
}

interface WatchEvent {
  type?: string;
  object?: { metadata?: { resourceVersion?: string; uid?: string }; code?: number };
}

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods/${encodeURIComponent(name)}`;

/** The pod as the API server has it now, or undefined when it is gone. */
export async function readPod(conn: KubeConnection, ns: string, name: string): Promise<PodObject | undefined> {
  const res = await conn.request({ method: 'GET', path: podPath(ns, name) });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw errorFromResponse(res.status, res.body, `get pod ${name}`);
  return JSON.parse(res.body) as PodObject;
}

export function watchPod(
  conn: KubeConnection,
  ns: string,
  name: string,
  resourceVersion: string | undefined,
  onPod: (pod: PodObject | undefined) => void,
  onError: (error: unknown) => void,
  backoffMs = 1000,
  /** The pod's uid: a pod made under the name by someone else after ours went is not ours (seen as gone). */
  uid?: string,
): PodWatch {
  let stopped = false;
  let stream: KubeStream | undefined;
  let version = resourceVersion;
  let wake: (() => void) | undefined;

  const reread = async (): Promise<boolean> => {
    const read = await readPod(conn, ns, name);
    const pod = uid && read && read.metadata?.uid !== uid ? undefined : read;
    if (stopped) return false;
    onPod(pod);
    if (!pod) return false;
    version = pod.metadata?.resourceVersion;
    return true;
  };

  const loop = async () => {
    let fresh = version !== undefined;
    while (!stopped) {
      try {
        if (!fresh && !(await reread())) return;
        fresh = false;
        let expired = false;
        let gone = false;
        stream = conn.stream(
          {
            path: `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`,
            query: {
              watch: true,
              fieldSelector: `metadata.name=${name}`,
              resourceVersion: version,
              allowWatchBookmarks: true,
              // Ended by the server before the connection's 90 s idle limit, then watched on from the last version.
              timeoutSeconds: 60,
            },
          },
          (line) => {
            const event = JSON.parse(line) as WatchEvent;
            if (event.type === 'ERROR') {
              expired = true;
              return;
            }
            const rv = event.object?.metadata?.resourceVersion;
            if (rv) version = rv;
            if (event.type === 'BOOKMARK' || stopped) return;
            const eventUid = event.object?.metadata?.uid;
            if (uid && eventUid && eventUid !== uid) return;
            if (event.type === 'DELETED') {
              gone = true;
              onPod(undefined);
              stream?.abort();
              return;
            }
            onPod(event.object as PodObject);
          },
        );
        await stream.done;
        if (gone) return;
        // Ended by the server (timeoutSeconds): watch on from the last version; after an ERROR (410), re-read.
        fresh = !expired;
      } catch (error) {
        if (stopped) return;
        onError(error);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, backoffMs);
        });
        fresh = false;
      }
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
      stream?.abort();
      wake?.();
    },
    refresh() {
      if (stopped) return;
      reread().catch(onError);
    },
  };
}
