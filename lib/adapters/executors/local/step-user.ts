import { execFileSync } from 'node:child_process';
import { lchownSync, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

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
      execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--user-group', name], { stdio: 'pipe' });
      user = lookup(name);
    } catch (error) {
      log(`[pipelines] could not create the user "${name}" for steps (${(error as Error).message.split('\n')[0]}); steps run as nobody.`);
    }
  }
  const found = user ?? lookup('nobody') ?? NOBODY;
  cache.set(name, found);
  return found;
}

function lookup(name: string): StepUser | undefined {
  try {
    // getent passwd: name:x:uid:gid:gecos:home:shell
    const fields = execFileSync('getent', ['passwd', name], { encoding: 'utf8', stdio: 'pipe' }).trim().split(':');
    const uid = Number(fields[2]);
    const gid = Number(fields[3]);
    return Number.isInteger(uid) && Number.isInteger(gid) && uid > 0 ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives a folder the step user can write to that user: the folder itself, and its whole content when
 * the folder still belongs to root (a folder made before steps ran unprivileged, whose content root
 * steps wrote). Symlinks are changed themselves, never followed. A folder that already belongs to the
 * user is left alone: its content is what unprivileged steps wrote.
 */
export function adoptForSteps(dir: string, user: StepUser): void {
  const stat = lstatSync(dir);
  if (stat.isSymbolicLink() || (stat.uid === user.uid && stat.gid === user.gid)) return;
  if (stat.uid === 0 && stat.isDirectory()) {
    for (const entry of readdirSync(dir)) adoptTree(path.join(dir, entry), user);
  }
  lchownSync(dir, user.uid, user.gid);
}

function adoptTree(p: string, user: StepUser): void {
  const stat = lstatSync(p);
  if (stat.isDirectory()) for (const entry of readdirSync(p)) adoptTree(path.join(p, entry), user);
  // Only what root owns, and no file with other names: a hard link to a file outside keeps its owner.
  if (stat.uid === 0 && (stat.isDirectory() || stat.nlink === 1)) lchownSync(p, user.uid, user.gid);
}
