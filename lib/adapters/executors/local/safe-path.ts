import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/**
 * Folder walks that never follow a symlink (issue 10, hole 2). Steps write inside workspaces and
 * the TaskRun's folders, so any name below a trusted root may be a symlink a step planted, or may be
 * swapped for one later. Each walk opens the root, then every name in turn relative to the folder
 * opened before it (`/proc/self/fd/<fd>/<name>`, the openat of a language without openat) with
 * O_NOFOLLOW: a symlink anywhere on the way is refused, and a folder swapped for a symlink after it
 * was opened cannot redirect the rest of the walk. Creating folders goes the same way (mkdirat).
 */
export class UnsafePathError extends Error {}

const DIR = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function describe(root: string, names: readonly string[], i: number): string {
  return path.join(root, ...names.slice(0, i + 1));
}

function openDir(at: string, shown: string): number {
  try {
    return openSync(at, DIR);
  } catch (error) {
    // O_DIRECTORY|O_NOFOLLOW on a symlink answers ENOTDIR on Linux, ELOOP elsewhere.
    if (code(error) === 'ELOOP' || (code(error) === 'ENOTDIR' && isSymlink(at)))
      throw new UnsafePathError(`${shown} is a symlink; a symlink anywhere on a workspace path is refused`);
    if (code(error) === 'ENOTDIR') throw new UnsafePathError(`${shown} is not a folder`);
    throw error;
  }
}

function isSymlink(at: string): boolean {
  try {
    return lstatSync(at).isSymbolicLink();
  } catch {
    return false;
  }
}

function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0'))
    throw new UnsafePathError(`"${name}" is not a plain folder name`);
}

/**
 * Runs `use` with a `/proc/self/fd/<fd>` path standing for the folder `root/names…`, reached
 * without following a symlink; `create` makes missing folders (mode 0755 before the umask).
 * Throws UnsafePathError for a symlink or a non-folder on the way, or a missing folder when not creating.
 */
export function inFolder<T>(
  root: string,
  names: readonly string[],
  create: boolean | Owner,
  use: (dir: string) => T,
): T {
  const fd = openFolder(root, names, create);
  try {
    return use(`/proc/self/fd/${fd}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens the folder `root/names…`, reached without following a symlink (see inFolder), and returns
 * its descriptor, which the caller closes. The descriptor stays on that folder whatever is renamed
 * or swapped on its path afterwards: `/proc/<pid>/fd/<fd>` names exactly it.
 */
export function openFolder(root: string, names: readonly string[], create: boolean | Owner = false): number {
  let fd = openDir(root, root);
  try {
    names.forEach((name, i) => {
      checkName(name);
      const at = `/proc/self/fd/${fd}/${name}`;
      let next: number;
      try {
        next = openDir(at, describe(root, names, i));
      } catch (error) {
        if (code(error) !== 'ENOENT') throw error;
        if (!create) throw new UnsafePathError(`${describe(root, names, i)} does not exist`);
        try {
          mkdirSync(at, 0o755);
          // lchown: should a step swap the new folder for a symlink this instant, the link is changed, not its target.
          if (typeof create === 'object') lchownSync(at, create.uid, create.gid);
        } catch (made) {
          if (code(made) !== 'EEXIST') throw made;
        }
        next = openDir(at, describe(root, names, i));
      }
      closeSync(fd);
      fd = next;
    });
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Who owns the folders a walk makes (the step user), when not the worker. */
export interface Owner {
  uid: number;
  gid: number;
}

/** Makes `root/names…` folder by folder, refusing symlinks; returns the path it made. */
export function makeFolders(root: string, names: readonly string[], owner?: Owner): string {
  inFolder(root, names, owner ?? true, () => undefined);
  return path.join(root, ...names);
}

/** Gives the folder `root/names…`, reached without following a symlink, to `owner`. */
export function chownFolder(root: string, names: readonly string[], owner: Owner): void {
  const fd = openFolder(root, names);
  try {
    fchownSync(fd, owner.uid, owner.gid);
  } finally {
    closeSync(fd);
  }
}

/** Checks that `root/names…` is a folder reached without a symlink. */
export function checkFolders(root: string, names: readonly string[]): void {
  inFolder(root, names, false, () => undefined);
}

/** The names of `target` below `root`, or undefined when it is not inside. */
export function namesBelow(root: string, target: string): string[] | undefined {
  const rel = path.relative(root, target);
  if (rel === '') return [];
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
  const names = rel.split(path.sep);
  return names.includes('..') ? undefined : names;
}

/**
 * Writes a file in `root/folders…` (made as needed), never through a symlink nor into anything but a
 * regular file (a FIFO, a socket or a folder there is refused). With `owner`, the file
 * gets that owner and exactly `mode`, also when it existed before.
 */
export function writeFileSafely(
  root: string,
  folders: readonly string[],
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
  owner?: Owner,
): void {
  checkName(file);
  inFolder(root, folders, true, (dir) => {
    const fd = openRegularForWriting(dir, file, path.join(root, ...folders, file), constants.O_TRUNC, mode);
    try {
      if (owner) {
        fchownSync(fd, owner.uid, owner.gid);
        fchmodSync(fd, mode);
      }
      // Every byte, looping over short writes (a ConfigMap's binaryData file may be large).
      writeFileSync(fd, data);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * Opens (creates or truncates) a file in `root/folders…` for writing, folders made as needed, never
 * through a symlink; with `owner`, the folders made and the file get that owner. The caller closes it.
 */
export function openFileSafely(root: string, folders: readonly string[], file: string, owner?: Owner): number {
  checkName(file);
  return inFolder(root, folders, owner ?? true, (dir) => {
    const fd = openRegularForWriting(
      dir,
      file,
      path.join(root, ...folders, file),
      constants.O_TRUNC | constants.O_APPEND,
      0o644,
    );
    try {
      if (owner) fchownSync(fd, owner.uid, owner.gid);
      return fd;
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  });
}

/**
 * Opens `dir/file` write-only (created with `mode` if missing), refusing a symlink and anything but a
 * regular file (issue 13, F4). O_NONBLOCK: a FIFO a step planted there would otherwise hold the
 * worker's one thread in open(2) until something reads it; it has no effect on a regular file.
 */
function openRegularForWriting(dir: string, file: string, shown: string, flags: number, mode: number): number {
  let fd: number;
  try {
    fd = openSync(
      `${dir}/${file}`,
      constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK | flags,
      mode,
    );
  } catch (error) {
    if (code(error) === 'ELOOP') throw new UnsafePathError(`${shown} is a symlink`);
    if (code(error) === 'EISDIR') throw new UnsafePathError(`${shown} is a folder`);
    // A FIFO no one reads, or a socket.
    if (code(error) === 'ENXIO') throw new UnsafePathError(`${shown} is not a regular file`);
    throw error;
  }
  let regular = false;
  try {
    regular = fstatSync(fd).isFile();
  } finally {
    if (!regular) closeSync(fd);
  }
  if (!regular) throw new UnsafePathError(`${shown} is not a regular file`);
  return fd;
}

export type ReadOutcome =
  | { kind: 'file'; text: string }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number }
  | { kind: 'refused'; why: string };

/** Reads a regular file in `root/folders…` of at most `maxBytes`, never through a symlink. */
export function readFileSafely(root: string, folders: readonly string[], file: string, maxBytes: number): ReadOutcome {
  try {
    checkName(file);
    return inFolder(root, folders, false, (dir) => {
      let fd: number;
      try {
        fd = openSync(`${dir}/${file}`, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
      } catch (error) {
        if (code(error) === 'ENOENT') return { kind: 'missing' } as const;
        if (code(error) === 'ELOOP') return { kind: 'refused', why: 'is a symlink' } as const;
        throw error;
      }
      try {
        const s = fstatSync(fd);
        if (!s.isFile()) return { kind: 'refused', why: 'is not a regular file' } as const;
        if (s.size > maxBytes) return { kind: 'too-large', size: s.size } as const;
        const buffer = Buffer.alloc(maxBytes + 1);
        let length = 0;
        for (let n = 1; n > 0 && length <= maxBytes; length += n)
          n = readSync(fd, buffer, length, buffer.length - length, null);
        if (length > maxBytes) return { kind: 'too-large', size: length } as const;
        return { kind: 'file', text: buffer.subarray(0, length).toString('utf8') } as const;
      } finally {
        closeSync(fd);
      }
    });
  } catch (error) {
    if (error instanceof UnsafePathError)
      return /does not exist/.test(error.message) ? { kind: 'missing' } : { kind: 'refused', why: error.message };
    throw error;
  }
}
