import { describe, expect, it } from 'vitest';
import { buildBwrapArgs, type BwrapSpec } from './bwrap-args';
import { pathMappings, runFolders } from './path-rewrite';

const folders = runFolders('/runs/tr1');
const base: BwrapSpec = {
  system: [{ path: '/usr' }, { path: '/bin', symlinkTo: 'usr/bin' }, { path: '/etc' }],
  mounts: pathMappings(folders, [
    { mountPath: '/workspace/source', hostPath: '/data/src', readOnly: false },
    { mountPath: '/workspace/config', hostPath: '/data/cfg', readOnly: true },
  ]),
  tmpHost: folders.tmp,
  workingDir: '/workspace',
  createWorkingDir: false,
  dropCapabilities: true,
  network: 'inherit',
  command: ['/tekton/scripts/script-0-build'],
};

function pairs(args: string[], flag: string): string[][] {
  const out: string[][] = [];
  args.forEach((a, i) => {
    if (a === flag) out.push([args[i + 1], args[i + 2]]);
  });
  return out;
}

describe('buildBwrapArgs', () => {
  it('binds a workspace held open by its descriptor (--bind-fd), never by its path', () => {
    const mounts = base.mounts.map((m) =>
      m.container === '/workspace/source'
        ? { ...m, fd: 42 }
        : m.container === '/workspace/config'
          ? { ...m, fd: 43 }
          : m,
    );
    const args = buildBwrapArgs({ ...base, mounts });
    expect(pairs(args, '--bind-fd')).toEqual([['42', '/workspace/source']]);
    expect(pairs(args, '--ro-bind-fd')).toEqual([['43', '/workspace/config']]);
    expect(args).not.toContain('/data/src');
    expect(args).not.toContain('/data/cfg');
  });

  it('isolates pids, dies with its parent and starts from an empty tmpfs root', () => {
    const args = buildBwrapArgs(base);
    expect(args.slice(0, 3)).toEqual(['--die-with-parent', '--unshare-pid', '--unshare-ipc']);
    expect(args).not.toContain('--unshare-net');
    expect(args.indexOf('--tmpfs')).toBeLessThan(args.indexOf('--ro-bind'));
    expect(args[args.indexOf('--tmpfs') + 1]).toBe('/');
  });

  it('drops capabilities always: as root, all but the two setpriv needs to become the step user (which clears them)', () => {
    expect(buildBwrapArgs(base).join(' ')).toContain('--cap-drop ALL');
    expect(buildBwrapArgs({ ...base, dropCapabilities: false }).join(' ')).toContain('--unshare-user --cap-drop ALL');
    const drop = { uid: 999, gid: 995, setpriv: '/usr/bin/setpriv', unshare: '/usr/bin/unshare' };
    const args = buildBwrapArgs({ ...base, drop });
    expect(args.join(' ')).toContain('--cap-drop ALL --cap-add CAP_SETUID --cap-add CAP_SETGID');
    expect(args.slice(args.indexOf('--') + 1)).toEqual([
      '/usr/bin/setpriv',
      '--reuid=999',
      '--regid=995',
      '--clear-groups',
      '--no-new-privs',
      '--',
      '/usr/bin/unshare',
      '--user',
      '--map-root-user',
      '--',
      '/usr/bin/setpriv',
      '--bounding-set=-all',
      '--inh-caps=-all',
      '--',
      '/tekton/scripts/script-0-build',
    ]);
  });

  it('makes /var 0755 before /var/tmp, so a volume under /var (upstream’s /var/secret) and /var/tmp are reachable', () => {
    const args = buildBwrapArgs({ ...base, mounts: [{ container: '/var/secret', host: '/run/v', readOnly: true }] });
    const dirVar = args.findIndex((a, i) => a === '/var' && args[i - 1] === '--dir' && args[i - 2] === '0755');
    expect(dirVar).toBeGreaterThan(0);
    expect(dirVar).toBeLessThan(args.indexOf('/var/tmp'));
    expect(dirVar).toBeLessThan(args.indexOf('/var/secret'));
  });

  it('never makes a folder in /tmp or /var/tmp itself: steps write there, and the worker made the mount points', () => {
    const mounts = [
      ...base.mounts,
      { container: '/tmp/a/b', host: '/data/x', readOnly: false },
      { container: '/var/tmp/c/d', host: '/data/y', readOnly: false },
    ];
    const dirs = pairs(buildBwrapArgs({ ...base, mounts }), '--dir').map(([d]) => d);
    expect(dirs.filter((d) => d.startsWith('/tmp') || d.startsWith('/var/tmp'))).toEqual([]);
  });

  it('unshares the network only for KEELSON_STEP_NETWORK=none', () => {
    expect(buildBwrapArgs({ ...base, network: 'none' })).toContain('--unshare-net');
    expect(buildBwrapArgs(base)).not.toContain('--unshare-net');
  });

  it('mounts system directories read-only and recreates symlinks', () => {
    const args = buildBwrapArgs(base);
    expect(pairs(args, '--ro-bind')).toContainEqual(['/usr', '/usr']);
    expect(pairs(args, '--ro-bind')).toContainEqual(['/etc', '/etc']);
    expect(pairs(args, '--symlink')).toContainEqual(['usr/bin', '/bin']);
  });

  it('binds the run folders at Tekton paths, workspaces after /workspace, read-only where asked', () => {
    const args = buildBwrapArgs(base);
    const binds = pairs(args, '--bind');
    expect(binds).toContainEqual(['/runs/tr1/results', '/tekton/results']);
    expect(binds).toContainEqual(['/runs/tr1/home', '/tekton/home']);
    expect(binds).toContainEqual(['/runs/tr1/steps', '/tekton/steps']);
    expect(binds).toContainEqual(['/runs/tr1/tmp', '/tmp']);
    expect(binds).toContainEqual(['/data/src', '/workspace/source']);
    expect(pairs(args, '--ro-bind')).toContainEqual(['/data/cfg', '/workspace/config']);
    expect(pairs(args, '--ro-bind')).toContainEqual(['/runs/tr1/scripts', '/tekton/scripts']);
    const at = (target: string) =>
      args.findIndex((a, i) => a === target && (args[i - 2] === '--bind' || args[i - 2] === '--ro-bind'));
    expect(at('/workspace')).toBeLessThan(at('/workspace/source'));
  });

  it('binds operator-listed paths read-only at the same path, after /tmp and the run folders, parents first', () => {
    const args = buildBwrapArgs({ ...base, readOnly: ['/tmp/repos/app', '/srv/git', '/tmp/repos'] });
    expect(pairs(args, '--ro-bind')).toEqual(
      expect.arrayContaining([
        ['/srv/git', '/srv/git'],
        ['/tmp/repos', '/tmp/repos'],
        ['/tmp/repos/app', '/tmp/repos/app'],
      ]),
    );
    const at = (target: string) => args.findIndex((a, i) => a === target && args[i - 2] === '--ro-bind');
    const tmpBind = args.findIndex((a, i) => a === '/tmp' && args[i - 2] === '--bind');
    expect(tmpBind).toBeLessThan(at('/tmp/repos'));
    expect(at('/workspace/config')).toBeLessThan(at('/srv/git'));
    expect(at('/tmp/repos')).toBeLessThan(at('/tmp/repos/app'));
    expect(buildBwrapArgs(base).filter((a) => a === '/srv/git')).toEqual([]);
  });

  it('ends with chdir and the command after --', () => {
    const args = buildBwrapArgs({
      ...base,
      workingDir: '/src',
      createWorkingDir: true,
      command: ['python3', '-c', 'print(1)'],
    });
    expect(args.slice(-8)).toEqual(['--dir', '/src', '--chdir', '/src', '--', 'python3', '-c', 'print(1)']);
  });

  it('refuses an empty command', () => {
    expect(() => buildBwrapArgs({ ...base, command: [] })).toThrow(/empty command/);
  });
});
