import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { HelperChannel, HelperMessage, HelperRequest, HelperSettings } from './spawner-channel';

/**
 * The step spawner helper in Python. Its `subprocess.Popen` starts a process with vfork, about
 * 0.3 ms however many start at once, where Node's fork + exec takes 1.2–1.5 ms of the helper's
 * single thread per process; a fan-out's eight sandboxes start in about a third of the time.
 *
 * Frames both ways are a 4-byte big-endian length and a body. Requests are JSON. Events are a JSON
 * header line followed by the raw output bytes of an `out` event. It exits with code 3 before
 * saying ready when the interpreter lacks what it needs (pidfd, Python 3.9+), and the worker then
 * falls back to the Node helper.
 */
const SOURCE = String.raw`
import errno, json, os, selectors, signal, struct, subprocess, sys, time
if not hasattr(os, 'pidfd_open'):
    sys.exit(3)
drain_s = float(sys.argv[1]) / 1000
nice = int(sys.argv[2])
sel = selectors.DefaultSelector()
children = {}
CLONE_NEWNET = 0x40000000
try:
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    own_net = os.open('/proc/self/ns/net', os.O_RDONLY | os.O_CLOEXEC)
    def setns(fd):
        if libc.setns(fd, CLONE_NEWNET) != 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
    def back():
        try:
            setns(own_net)
        except OSError:
            # Never start another process in a TaskRun's network: the worker starts a new helper.
            os._exit(4)
except Exception:
    setns = None

def shutdown():
    for c in list(children.values()):
        kill_group(c.pid)
    os._exit(0)

def write_all(b):
    view = memoryview(b)
    while view:
        try:
            n = os.write(1, view)
        except BrokenPipeError:
            shutdown()
        view = view[n:]

def send(head, data=b''):
    h = json.dumps(head, separators=(',', ':')).encode() + b'\n'
    write_all(struct.pack('>I', len(h) + len(data)) + h + data)

def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass

class Child:
    def __init__(self, cid, proc):
        self.id, self.proc, self.pid = cid, proc, proc.pid
        self.streams = {'stdout': proc.stdout, 'stderr': proc.stderr}
        self.exited = False
        self.drain_at = None

def start(m):
    # The worker's descriptors named in args (bubblewrap's --bind-fd): reopened through /proc, which
    # gives the very same folder, never a path walked again; the child gets them under our numbers.
    args, passed = list(m['args']), []
    try:
        for i in m.get('fdArgs') or []:
            passed.append(os.open('/proc/%d/fd/%s' % (os.getppid(), args[i]), os.O_RDONLY | os.O_CLOEXEC))
            args[i] = str(passed[-1])
        net = m.get('network')
        own = bool(net and net.get('netns') and setns)
        argv = (net['prefix'] if net and not own else []) + [m['file']] + args
        if own:
            # Into the TaskRun's network namespace for the fork, back at once: no nsenter to exec.
            netfd = os.open(net['netns'], os.O_RDONLY | os.O_CLOEXEC)
            try:
                setns(netfd)
            finally:
                os.close(netfd)
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    cwd=m['cwd'], env=m['env'], start_new_session=True, pass_fds=passed)
        finally:
            if own:
                back()
    except OSError as e:
        code = errno.errorcode.get(e.errno or 0, 'EUNKNOWN')
        send({'t': 'error', 'id': m['id'], 'code': code, 'errno': -(e.errno or 0), 'syscall': 'spawn ' + m['file'],
              'path': m['file'], 'message': 'spawn %s %s' % (m['file'], code)})
        return
    except Exception as e:
        send({'t': 'thrown', 'id': m['id'], 'message': str(e)})
        return
    finally:
        for fd in passed:
            os.close(fd)
    n = m.get('nice', nice)
    if n:
        try:
            os.setpriority(os.PRIO_PGRP, proc.pid, n)
        except OSError:
            pass
    send({'t': 'spawned', 'id': m['id'], 'pid': proc.pid, 'at': time.time() * 1000})
    c = Child(m['id'], proc)
    children[c.id] = c
    for name, f in c.streams.items():
        os.set_blocking(f.fileno(), False)
        sel.register(f, selectors.EVENT_READ, ('out', c, name))
    pidfd = os.pidfd_open(proc.pid)
    sel.register(pidfd, selectors.EVENT_READ, ('exit', c, pidfd))

def close_stream(c, name):
    f = c.streams.pop(name, None)
    if f is None:
        return
    sel.unregister(f)
    f.close()
    if c.exited and not c.streams:
        del children[c.id]
        send({'t': 'close', 'id': c.id})

def on_out(c, name):
    try:
        data = os.read(c.streams[name].fileno(), 65536)
    except BlockingIOError:
        return
    except OSError:
        data = b''
    if data:
        send({'t': 'out', 'id': c.id, 's': name, 'at': time.time() * 1000}, data)
    else:
        close_stream(c, name)

def on_exit(c, pidfd):
    sel.unregister(pidfd)
    os.close(pidfd)
    rc = c.proc.wait()
    # Like a container ending with its main process: whatever it left running goes too.
    kill_group(c.pid)
    c.exited = True
    sig = signal.Signals(-rc).name if rc < 0 else None
    send({'t': 'exit', 'id': c.id, 'code': None if rc < 0 else rc, 'signal': sig})
    c.drain_at = time.monotonic() + drain_s
    if not c.streams:
        del children[c.id]
        send({'t': 'close', 'id': c.id})

inbuf = bytearray()
def on_request():
    global inbuf
    data = os.read(0, 1 << 20)
    if not data:
        shutdown()
    inbuf += data
    while len(inbuf) >= 4:
        (n,) = struct.unpack('>I', inbuf[:4])
        if len(inbuf) < 4 + n:
            break
        m = json.loads(inbuf[4:4 + n])
        inbuf = inbuf[4 + n:]
        if m['t'] == 'kill':
            c = children.get(m['id'])
            if c:
                kill_group(c.pid)
        else:
            start(m)

sel.register(0, selectors.EVENT_READ, ('req',))
send({'t': 'ready', 'id': 0})
while True:
    drains = [c.drain_at for c in children.values() if c.drain_at is not None]
    timeout = max(0, min(drains) - time.monotonic()) if drains else None
    for key, _ in sel.select(timeout):
        what = key.data
        if what[0] == 'req':
            on_request()
        elif what[0] == 'out':
            if what[2] in what[1].streams:
                on_out(what[1], what[2])
        else:
            on_exit(what[1], what[2])
    now = time.monotonic()
    for c in list(children.values()):
        if c.drain_at is not None and c.drain_at <= now:
            for name in list(c.streams):
                close_stream(c, name)
`;

/** The interpreter to run the helper with: the system's, not a version manager's shim. */
function findPython(searchPath: string): string | undefined {
  const dirs = [
    '/usr/bin',
    '/usr/local/bin',
    ...searchPath.split(path.delimiter).filter((d) => d && !d.includes('shims')),
  ];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'python3');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Starts the Python helper; undefined when there is no python3 or it cannot be started. */
export function startPythonHelper(
  { drainGraceMs, stepNice, searchPath }: HelperSettings,
  onMessage: (message: HelperMessage) => void,
): HelperChannel | undefined {
  const python = findPython(searchPath);
  if (!python) return undefined;
  let child: ChildProcess;
  try {
    // -I -S: no user site, no environment variables, no site module; the helper needs the standard library only.
    child = spawn(python, ['-I', '-S', '-c', SOURCE, String(drainGraceMs), String(stepNice)], {
      env: {} as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
  } catch {
    return undefined;
  }
  child.on('error', () => undefined);
  if (child.pid === undefined || !child.stdin || !child.stdout) return undefined;
  const stdin = child.stdin;
  const stdout = child.stdout;
  stdin.on('error', () => undefined);
  let pending: Buffer = Buffer.alloc(0);
  stdout.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 4) {
      const size = pending.readUInt32BE(0);
      if (pending.length < 4 + size) break;
      const body = pending.subarray(4, 4 + size);
      pending = pending.subarray(4 + size);
      const newline = body.indexOf(0x0a);
      const head = JSON.parse(body.subarray(0, newline).toString('utf8')) as HelperMessage;
      onMessage(head.t === 'out' ? { ...head, d: body.subarray(newline + 1) } : head);
    }
  });
  let open = true;
  child.on('exit', () => {
    open = false;
  });
  return {
    child,
    connected: () => open && !stdin.destroyed,
    send(request: HelperRequest) {
      const body = Buffer.from(JSON.stringify(request), 'utf8');
      const head = Buffer.alloc(4);
      head.writeUInt32BE(body.length, 0);
      stdin.write(Buffer.concat([head, body]));
    },
    setRef(ref: boolean) {
      for (const handle of [child, stdin, stdout] as { ref?(): void; unref?(): void }[]) {
        if (ref) handle.ref?.();
        else handle.unref?.();
      }
    },
  };
}
