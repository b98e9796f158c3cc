import { request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface ChunkedResult {
  status: number;
  body: string;
  /** Bytes written before the server answered. */
  sentBytes: number;
  ms: number;
}

/**
 * POSTs `total` bytes in 64 KB chunks with Transfer-Encoding: chunked (no Content-Length), as fast as
 * the socket takes them, and stops sending as soon as the server answers (as a real client does).
 */
export function sendChunked(url: string, total: number, headers: Record<string, string> = {}): Promise<ChunkedResult> {
  const target = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sentBytes = 0;
    let answered = false;
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { 'transfer-encoding': 'chunked', ...headers },
      },
      (res) => {
        answered = true;
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sentBytes, ms: Date.now() - started }));
        res.on('error', reject);
      },
    );
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const pump = () => {
      while (!answered && sentBytes < total) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

/** Declares `Content-Length: length`, sends one byte, and resolves with the status the server answers. */
export function postDeclaredLength(url: string, length: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': String(length) } }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    });
    req.on('error', reject);
    req.write('x');
  });
}

/** A stand-in for Next behind the web listener: reads each body whole, records its size, answers {bytes}. */
export function recordingApp(reached: { url: string; bytes: number }[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      reached.push({ url: req.url ?? '', bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ bytes }));
    });
  };
}
