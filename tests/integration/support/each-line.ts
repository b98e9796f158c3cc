import type { Readable } from 'node:stream';

/** Calls `onLine` with each complete line a child process's output stream prints. */
export function eachLine(stream: Readable, onLine: (line: string) => void): void {
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) onLine(line);
  });
}
