import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

/**
 * A host "on the internet" for steps to reach: a network namespace of the test's own, joined to this
 * host by a veth pair, with a TCP listener inside. Steps' outbound traffic leaves through slirp's NAT
 * from this host, so reaching it proves outbound access without touching the host's own addresses,
 * which steps must not reach. Needs root (ip netns), as the sandbox tests do.
 */
export interface OutsideHost {
  address: string;
  port: number;
  close(): void;
}

export async function startOutsideHost(port = 8080): Promise<OutsideHost> {
  const id = process.pid % 10_000;
  const ns = `keelson-out-${id}`;
  const [hostEnd, nsEnd] = [`kout${id}a`, `kout${id}b`];
  const subnet = `198.18.${id % 250}`;
  const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
  const cleanup = () => {
    for (const args of [
      ['netns', 'del', ns],
      ['link', 'del', hostEnd],
    ]) {
      try {
        ip(...args);
      } catch {
        // Already gone.
      }
    }
  };
  cleanup();
  ip('netns', 'add', ns);
  ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nsEnd);
  ip('link', 'set', nsEnd, 'netns', ns);
  ip('addr', 'add', `${subnet}.1/30`, 'dev', hostEnd);
  ip('link', 'set', hostEnd, 'up');
  ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${subnet}.2/30`, 'dev', nsEnd);
  ip('netns', 'exec', ns, 'ip', 'link', 'set', nsEnd, 'up');
  ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  const server = `import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("${subnet}.2", ${port})); s.listen(16)
print("ready", flush=True)
while True:
    c, _ = s.accept(); c.sendall(b"hello from outside\\n"); c.close()`;
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', server], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the outside host's listener exited (${code})`)));
  });
  return {
    address: `${subnet}.2`,
    port,
    close() {
      child.kill('SIGKILL');
      cleanup();
    },
  };
}
