/** A TCP listener that counts connections and closes them: proof that nothing connected. */
import net from 'node:net';

export interface ConnectionCounter {
  port: number;
  count(): number;
  close(): Promise<void>;
}

export async function countConnections(
  host = '127.0.0.1',
  onConnection?: (socket: net.Socket) => void,
): Promise<ConnectionCounter> {
  let connections = 0;
  const open = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections++;
    open.add(socket.on('close', () => open.delete(socket)));
    if (onConnection) onConnection(socket);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, host, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    count: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
