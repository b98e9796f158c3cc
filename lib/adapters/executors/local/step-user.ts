import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  fchownSync,
  fstatSync,
  lchownSync,
  lstatSync,
  openSync,
  readdirSync,
  type Stats,
} from 'node:fs';
import { hostEnvironment } from '@/lib/env';
import { openFolder } from './safe-path';

/** The host user steps run as. */
export interface StepUser {
  name: string;
  uid: number;
  gid: number;
}

const NOBODY: StepUser = { name: 'nobody', uid: 65534, gid: 65534 };
const cache = new Map<string, StepUser | undefined>();

/**
 * The unprivileged host user steps run as when Keelson runs as root: `name` (created as a system
 * user without a home or a login shell when missing), else `nobody`. Undefined when Keelson does not
 * run as root: it cannot switch users, and steps then run as Keelson's own user in a user namespace.
 */
export function stepUser(name: string, log: (line: string) => void = () => undefined): StepUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  if (cache.has(name)) return cache.get(name);
  let user = lookup(name);
  if (!user) {
    try {
      execFileSync(
        'useradd',
        [
          '--system',
          '--no-create-home',
          '--home-dir',
          '/nonexistent',
          '--shell',
          '/usr/sbin/nologin',
          '--user-group',
          name,
        ],
        { stdio: 'pipe', env: hostEnvironment(['PATH']) as NodeJS.ProcessEnv },
      );
      user = lookup(name);
    } catch (error) {
      log(
        `[pipelines] could not create the user "${name}" for steps (${(error as Error).message.split('\n')[0]}); steps run as nobody.`,
      );
    }
  }
  const found = user ?? lookup('nobody') ?? NOBODY;
  cache.set(name, found);
  return found;
}

function lookup(name: string): StepUser | undefined {
  try {
    // getent passwd: name:x:uid:gid:gecos:home:shell
    const fields = execFileSync('getent', ['passwd', name], {
      encoding: 'utf8',
      stdio: 'pipe',
      env: hostEnvironment(['PATH']) as NodeJS.ProcessEnv,
    })
      .trim()
      .split(':');
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) && uid > 0 ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives a folder the step user can write to that user: the folder `root/names…` itself, and its whole
 * content when the folder still belongs to root (a folder made before steps ran unprivileged, whose
 * content root steps wrote). Steps of other TaskRuns may write the same volume meanwhile, so nothing
 * is reached by a path that could be swapped: the folder is opened from its root without following a
 * symlink (a symlink on the way throws UnsafePathError), every folder below is opened relative to
 * its opened parent with O_NOFOLLOW, and entries are changed with lchown relative to that parent.
 * A folder that already belongs to the user is left alone: its content is what unprivileged steps wrote.
 */
export function adoptForSteps(root: string, names: readonly string[], user: StepUser): void {
  const fd = openFolder(root, names);
  try {
    adoptFolder(fd, user, true);
  } finally {
    closeSync(fd);
  }
}

function adoptFolder(fd: number, user: StepUser, top: boolean): void {
  const stat = fstatSync(fd);
  if (top && stat.uid === user.uid && stat.gid === user.gid) return;
  if (top && stat.uid !== 0) return fchownSync(fd, user.uid, user.gid);
  const dir = `/proc/self/fd/${fd}`;
  for (const name of readdirSync(dir)) {
    const at = `${dir}/${name}`;
    let entry: Stats;
    try {
      entry = lstatSync(at);
    } catch {
      continue; // Gone meanwhile.
    }
    if (entry.isDirectory()) {
      let sub: number;
      try {
        sub = openSync(at, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      } catch {
        continue; // Swapped for a symlink or gone meanwhile: not followed.
      }
      try {
        adoptFolder(sub, user, false);
      } finally {
        closeSync(sub);
      }
    } else if (entry.uid === 0 && entry.nlink === 1) {
      // Only what root owns, and no file with other names: a hard link to a file outside keeps its owner.
      lchownSync(at, user.uid, user.gid);
    }
  }
  if (stat.uid === 0) fchownSync(fd, user.uid, user.gid);
}
