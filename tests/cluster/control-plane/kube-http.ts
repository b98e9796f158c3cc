/** A tiny HTTPS client for the test API server (no dependencies, usable before node_modules). */
import { request } from 'node:https';

export interface KubeConn {
  server: string;
  ca: string;
  token: string;
}

export interface KubeResponse {
  status: number;
  body: string;
}

export function kubeRequest(conn: KubeConn, method: string, path: string, body?: unknown): Promise<KubeResponse> {
  const url = new URL(path, conn.server);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolveResp, reject) => {
    const req = request(
      url,
      {
        method,
        ca: conn.ca,
        timeout: 5000,
        headers: {
          authorization: `Bearer ${conn.token}`,
          accept: 'application/json',
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolveResp({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Like kubeRequest, but network errors (server not up yet) become status 0. */
export async function tryKubeRequest(
  conn: KubeConn,
  method: string,
  path: string,
  body?: unknown,
): Promise<KubeResponse> {
  try {
    return await kubeRequest(conn, method, path, body);
  } catch (err) {
    return { status: 0, body: String(err) };
  }
}
