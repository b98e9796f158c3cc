import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import type { HelperChannel, HelperMessage, HelperRequest, HelperSettings } from './spawner-channel';

/**
 * The step spawner helper in Node, used where the Python one cannot run (see spawner-python.ts).
 *
 * `child_process.spawn` blocks the event loop until the child has exec'd, and a fork of the worker's
 * large address space (and the child's exec tearing that copy down) costs 2–3 ms each; a fan-out's
 * eight sandboxes took 20–25 ms of the event loop in a row. Forked from this helper's small address
 * space a start costs about half, and the worker's event loop stays free meanwhile (database replies,
 * the next TaskRuns' preparation). The helper relays each process's output with its arrival time,
 * kills a process group when asked, and when the worker goes away (its channel closes) kills every
 * group it started and exits.
 */
const HELPER_SOURCE = String.raw`'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const drainGraceMs = Number(process.argv[1]);
const children = new Map();
const send = (m) => { if (process.connected) process.send(m); };
const killGroup = (pid) => { try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ } };
process.title = 'keelson-step-spawner';
// Descriptors the worker left without close-on-exec came along (Node's own all have it): steps must
// not inherit them, and Node's spawn closes nothing, so they are closed here (fds 0-3 are stdio and
// this helper's channel).
for (const name of fs.readdirSync('/proc/self/fdinfo')) {
  try {
    const flags = parseInt(/flags:\s*([0-7]+)/.exec(fs.readFileSync('/proc/self/fdinfo/' + name, 'utf8'))[1], 8);
    if (Number(name) > 3 && (flags & 0o2000000) === 0) fs.closeSync(Number(name));
  } catch { /* gone, or no such entry */ }
}
process.on('message', (m) => {
  if (m.t === 'kill') {
    const c = children.get(m.id);
    if (c) killGroup(c.pid);
    return;
  }
  let child;
  // The worker's descriptors named in args (bubblewrap's --bind-fd), reopened through /proc (the very
  // same folder, no path walked again), become the child's 3, 4, …
  const passed = [];
  const args = [...m.args];
  try {
    for (const [k, i] of (m.fdArgs || []).entries()) {
      passed.push(fs.openSync('/proc/' + process.ppid + '/fd/' + args[i], 'r'));
      args[i] = String(3 + k);
    }
    const argv = [...(m.network ? m.network.prefix : []), m.file, ...args];
    child = spawn(argv[0], argv.slice(1), { cwd: m.cwd, env: m.env, detached: true, stdio: ['ignore', 'pipe', 'pipe', ...passed] });
  } catch (e) {
    send({ t: 'thrown', id: m.id, message: String(e && e.message) });
    return;
  } finally {
    for (const fd of passed) fs.closeSync(fd);
  }
  if (child.pid === undefined) {
    child.on('error', (e) => send({ t: 'error', id: m.id, code: e.code, errno: e.errno, syscall: e.syscall, path: e.path, message: e.message }));
    return;
  }
  if (m.nice !== undefined) try { require('node:os').setPriority(child.pid, m.nice); } catch { /* not allowed here */ }
  send({ t: 'spawned', id: m.id, pid: child.pid, at: Date.now() });
  children.set(m.id, child);
  child.on('error', () => undefined);
  child.stdout.on('data', (d) => send({ t: 'out', id: m.id, s: 'stdout', d, at: Date.now() }));
  child.stderr.on('data', (d) => send({ t: 'out', id: m.id, s: 'stderr', d, at: Date.now() }));
  child.on('exit', (code, signal) => {
    // Like a container ending with its main process: whatever it left running goes too.
    killGroup(child.pid);
    send({ t: 'exit', id: m.id, code, signal });
    setTimeout(() => { child.stdout.destroy(); child.stderr.destroy(); }, drainGraceMs).unref();
  });
  child.on('close', () => {
    children.delete(m.id);
    send({ t: 'close', id: m.id });
  });
});
send({ t: 'ready', id: 0 });
process.on('disconnect', () => {
  for (const c of children.values()) killGroup(c.pid);
  process.exit(0);
});
`;

/** Starts the Node helper, talking over Node's IPC channel; undefined when it cannot be started. */
export function startNodeHelper(
  { drainGraceMs, stepNice }: HelperSettings,
  onMessage: (message: HelperMessage) => void,
): HelperChannel | undefined {
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, ['-e', HELPER_SOURCE, String(drainGraceMs)], {
      // Nothing of the worker's environment: each request brings the step's own.
      env: {} as NodeJS.ProcessEnv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
  } catch {
    return undefined;
  }
  child.on('error', () => undefined);
  if (child.pid === undefined) return undefined;
  try {
    // Node sets one process's priority, not a group's, and a step may fork before it could be set: so
    // this helper itself runs at the steps' niceness, and they inherit it.
    os.setPriority(child.pid, stepNice);
  } catch {
    // Not allowed here (raising priority needs privileges): steps run at the worker's.
  }
  child.on('message', (message: HelperMessage) => onMessage(message));
  return {
    child,
    connected: () => child.connected,
    send: (request: HelperRequest) => void (child.connected && child.send(request)),
    setRef(ref: boolean) {
      const channel = child.channel as { ref?(): void; unref?(): void } | null | undefined;
      if (ref) {
        child.ref();
        channel?.ref?.();
      } else {
        child.unref();
        channel?.unref?.();
      }
    },
  };
}
