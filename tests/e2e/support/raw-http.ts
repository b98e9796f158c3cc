import { connect } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * One request on its own socket as raw HTTP/1.1, read until the server closes it: for methods that fetch and
 * Playwright refuse to send (TRACE, CONNECT) and that Node's client cannot write (ones no parser knows).
 */
export function rawRequest(port: number, method: string, target: string, headers: string[] = []): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setTimeout(30_000, () => socket.destroy(new Error(`no answer to ${method} ${target} in 30 s`)));
    socket.on('data', (d: Buffer) => (data += d.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = data.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = data.slice(0, split < 0 ? data.length : split).split('\r\n');
      const parsed = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers: parsed,
        body: split < 0 ? '' : data.slice(split + 4),
      });
    });
    const head = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headers];
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}
