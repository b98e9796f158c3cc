/**
 * Pods and their container logs, read through the API server (`GET /api/v1/namespaces/NS/pods/P/log`), which
 * proxies the kubelet. The log body is handed over as it arrives; the API server's refusal (no such container,
 * no previous instance, a node that serves no logs) becomes a KubeError with its message.
 */
import type { IncomingMessage } from 'node:http';
import { connect, type ClusterCredentials } from './connect';
import type { KubeConnection } from './connection';
import { errorFromResponse } from './errors';
import type { KubeObject, ObjectKey } from './objects';
import { getObject, listObjects } from './read';

export interface PodLogOptions {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  /** Aborting it ends the request and closes its socket. */
  signal: AbortSignal;
}

/** How much of a refusal's body is read for its message. */
const MAX_ERROR_BODY = 64 * 1024;

async function readCapped(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY) {
      res.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY);
}

/**
 * The container's log as bytes, as the API server streams it (with `timestamps=true`); throws KubeError when it
 * answers anything but 200. The iterable ends when the log does (a followed container exits) and throws
 * (or ends) once `signal` aborts.
 */
export async function openPodLog(conn: KubeConnection, o: PodLogOptions): Promise<AsyncIterable<Uint8Array>> {
  const path = `/api/v1/namespaces/${encodeURIComponent(o.namespace)}/pods/${encodeURIComponent(o.pod)}/log`;
  const res = await conn.openResponse({
    path,
    query: {
      container: o.container,
      follow: o.follow || undefined,
      previous: o.previous || undefined,
      timestamps: true,
      tailLines: o.tailLines,
      sinceSeconds: o.sinceSeconds,
    },
    accept: '*/*',
    signal: o.signal,
  });
  if (res.statusCode !== 200) {
    const body = await readCapped(res);
    throw errorFromResponse(res.statusCode ?? 0, conn.redact(body), `logs of ${o.namespace}/${o.pod}/${o.container}`);
  }
  return res as AsyncIterable<Uint8Array>;
}

/** One cluster as the pod logs use case reads it: objects by key, lists, and container logs. */
export interface PodReader {
  get(key: ObjectKey): Promise<KubeObject | undefined>;
  list(q: { apiVersion: string; kind: string; namespace: string; labelSelector?: string }): Promise<KubeObject[]>;
  openLog(o: PodLogOptions): Promise<AsyncIterable<Uint8Array>>;
  /** Closes the connection's sockets, open log requests included. */
  close(): void;
}

export function podReader(conn: KubeConnection): PodReader {
  return {
    get: (key) => getObject(conn, key),
    list: async (q) => (await listObjects(conn, q)).items,
    openLog: (o) => openPodLog(conn, o),
    close: () => conn.close(),
  };
}

/** Connects to a registered cluster with its stored credentials. */
export async function connectPodReader(credentials: ClusterCredentials): Promise<PodReader> {
  return podReader(await connect(credentials));
}
