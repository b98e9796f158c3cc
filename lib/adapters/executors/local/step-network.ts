import { statSync } from 'node:fs';
import os from 'node:os';
import { setPriority } from 'node:os';
import { runProcess } from './run-process';
import type { Spawner } from './spawner';
import type { NetworkEntry } from './spawner-channel';
import type { StepUser } from './step-user';

/** The programs a TaskRun's own network needs, found on the host at start-up. */
export interface NetworkTools {
  setpriv: string;
  unshare: string;
  nsenter: string;
  slirp4netns: string;
}

/** A network namespace of its own for one TaskRun, with outbound access through slirp4netns. */
export interface StepNetwork {
  /** Where the namespace is, and the command prefix (nsenter) that runs a program inside it. */
  enter(): NetworkEntry;
  /** Taken by a TaskRun: slirp4netns, made at the lowest priority while it waited, forwards the steps' traffic at theirs. */
  claim(): void;
  /** Undefined while the namespace is usable; else why it is not (its holder or slirp4netns ended). */
  broken(): string | undefined;
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
/** Slirp's fixed addresses: the step is 10.0.2.100, 10.0.2.2 the host (disabled for loopback), 10.0.2.3 DNS. */
export const SLIRP_DNS = '10.0.2.3';

/**
 * Starts a network namespace for one TaskRun: a holder process (`sleep`) in a new user and network
 * namespace, owned by the step user, and slirp4netns attached to it, also as the step user, with
 * `--disable-host-loopback`: the steps reach the internet through slirp's NAT, but nothing listening on
 * the host's 127.0.0.1 (Postgres, the Keelson API), on the host's own addresses or on link-local ones
 * (blackhole routes, deniedDestinations).
 *
 * Both processes are started by the spawner helper, which kills them if the worker goes away, and
 * neither keeps the worker alive. Steps
 * enter the namespace with nsenter (as root, before bubblewrap); their own user namespace is not the
 * one that owns the network namespace, so they cannot reconfigure it.
 */
export async function openStepNetwork(
  spawner: Spawner,
  tools: NetworkTools,
  user: StepUser | undefined,
  nice?: number,
  deny: readonly string[] = [],
): Promise<StepNetwork> {
  const asUser = user
    ? [tools.setpriv, `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--no-new-privs', '--']
    : [];
  // Blackhole routes are made by the holder, root of the namespace's owner; steps cannot remove them (see below).
  // One `ip -batch` for all of them (one exec, not one per route); the ranges are arguments, never shell text.
  const cidrs = [...new Set([...deniedDestinations(), ...deny])];
  const routes = cidrs.length ? `printf 'route add blackhole %s\\n' "$@" | ip -batch - || exit 71; ` : '';
  const holder = start(
    spawner,
    nice,
    [
      ...asUser,
      tools.unshare,
      '--user',
      '--map-root-user',
      '--net',
      '--',
      '/bin/sh',
      '-c',
      `${routes}echo "$$"; exec sleep infinity`,
      'sh',
      ...cidrs,
    ],
    (out) => {
      const pid = Number(out.trim().split('\n')[0]);
      return out.includes('\n') && Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
  );
  let slirp: Started<true> | undefined;
  try {
    const pid = await holder.ready;
    const netns = `/proc/${pid}/ns/net`;
    const inode = statSync(netns).ino;
    slirp = start(
      spawner,
      nice,
      [
        ...asUser,
        tools.slirp4netns,
        '--configure',
        '--mtu=65520',
        '--disable-host-loopback',
        '--enable-seccomp',
        '--ready-fd=1',
        String(pid),
        'tap0',
      ],
      // --ready-fd=1 writes "1" once the namespace is configured (after any warnings on stdout).
      (out) => (/(^|\n)1/.test(out) ? true : undefined),
    );
    await slirp.ready;
    const running = [holder, slirp];
    const forwarder = slirp;
    return {
      claim() {
        try {
          if (forwarder.pid !== undefined) setPriority(forwarder.pid, spawner.stepNice);
        } catch {
          // Not allowed here (raising a priority needs privileges): it stays at the lowest.
        }
      },
      // Keelson not root: only the namespace's owner, through its user namespace, may enter it (setns
      // needs CAP_SYS_ADMIN where the caller is too); bubblewrap's own user namespace then nests in it,
      // so the steps still have no rights over their network. As root, the spawner may setns itself.
      enter: () =>
        user || process.getuid?.() === 0
          ? { netns, prefix: [tools.nsenter, `--net=${netns}`, '--'] }
          : {
              prefix: [tools.nsenter, `--user=/proc/${pid}/ns/user`, `--net=${netns}`, '--preserve-credentials', '--'],
            },
      broken() {
        const ended = running.find((p) => p.ended);
        if (ended)
          return `the TaskRun's network (${ended === holder ? 'its namespace' : 'slirp4netns'}) ended: ${ended.ended}`;
        try {
          // The holder's pid could have been reused by another process: the namespace must still be the one made for this TaskRun.
          if (statSync(netns).ino !== inode) return "the TaskRun's network namespace is gone";
        } catch {
          return "the TaskRun's network namespace is gone";
        }
        return undefined;
      },
      close: async () => void (await Promise.all(running.map((p) => p.stop()))),
    };
  } catch (error) {
    await Promise.all([holder.stop(), slirp?.stop()]);
    throw error;
  }
}

interface Started<T> {
  ready: Promise<T>;
  pid?: number;
  /** Why it ended, once it has. */
  ended?: string;
  stop(): Promise<void>;
}

/** Starts a long-running helper process and waits until its output says it is ready. */
function start<T>(
  spawner: Spawner,
  nice: number | undefined,
  argv: string[],
  isReady: (stdout: string) => T | undefined,
): Started<T> {
  const abort = new AbortController();
  let stdout = '';
  const stderr: string[] = [];
  let settle: { resolve(v: T): void; reject(e: Error): void } | undefined;
  const ready = new Promise<T>((resolve, reject) => (settle = { resolve, reject }));
  const timer = setTimeout(
    () => fail(new Error(`${argv.join(' ')} was not ready within ${READY_TIMEOUT_MS / 1000} s`)),
    READY_TIMEOUT_MS,
  );
  const fail = (error: Error) => {
    clearTimeout(timer);
    settle?.reject(error);
    settle = undefined;
    abort.abort();
  };
  const started: Started<T> = {
    ready,
    stop: async () => {
      abort.abort();
      await done;
    },
  };
  const done = runProcess(
    spawner,
    { file: argv[0], args: argv.slice(1), env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, cwd: '/', nice },
    {
      onSpawn: (_at, pid) => void (started.pid = pid),
      signal: abort.signal,
      // Networks wait in a pool (network-pool.ts): they must not keep the worker alive.
      background: true,
      onLine: (stream, text) => void (stream === 'stderr' && stderr.length < 20 && stderr.push(text)),
      onData(stream, chunk) {
        if (stream !== 'stdout' || !settle) return;
        stdout += chunk.toString('utf8');
        const value = isReady(stdout);
        if (value === undefined) return;
        clearTimeout(timer);
        settle.resolve(value);
        settle = undefined;
      },
    },
  ).then(
    (end) => {
      started.ended = `exit code ${end.exitCode}${stderr.length ? `: ${stderr.join(' / ')}` : ''}`;
      fail(
        new Error(
          `${argv.find((a) => a.includes('slirp4netns')) ? 'slirp4netns' : 'the network namespace'} ended before it was ready (${started.ended})`,
        ),
      );
    },
    (error: Error) => fail(error),
  );
  void ready.catch(() => undefined);
  return started;
}

/**
 * Destinations a step never reaches through slirp's NAT, besides the host's loopback: link-local
 * addresses (169.254.169.254 is the cloud instance metadata service, with the node's credentials) and
 * every address of the host itself (the kubelet, node-local agents, services bound to 0.0.0.0).
 * Private networks stay reachable, as they are from a Tekton pod without a NetworkPolicy.
 */
export function deniedDestinations(interfaces = os.networkInterfaces()): string[] {
  const own = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.'))
    .map((a) => `${a.address}/32`);
  return ['169.254.0.0/16', '100.100.100.200/32', ...new Set(own)];
}
