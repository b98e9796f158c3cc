/**
 * `<dir>/pids/<name>.pid`: "<pid> <binary> <start time> <boot id>". A recorded process is ours only while that
 * pid runs that binary, started at that time (field 22 of /proc/<pid>/stat, clock ticks since boot) in this boot
 * (/proc/sys/kernel/random/boot_id): a recycled pid, or after a reboot an unrelated process of the same binary
 * (Debian's docker-registry.service runs /usr/bin/docker-registry too), never matches.
 * Old files ("<pid> <binary>") are ours only if the process started no later than the file was written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const pidFileDir = (dir: string): string => join(dir, 'pids');

/** Field 22 of /proc/<pid>/stat (start time in clock ticks after boot), or undefined if the pid is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Running: a zombie (dead, not yet reaped by a parent that may be blocked) counts as gone. */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

export const bootId = (): string => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

export function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`).replace(/ \(deleted\)$/, '');
  } catch {
    return undefined;
  }
}

export function writePidFile(file: string, pid: number, bin: string): void {
  writeFileSync(file, `${pid} ${bin} ${processStartTime(pid) ?? 'gone'} ${bootId()}\n`);
}

let clockTicks: number | undefined;
/** Seconds since the epoch at which `pid` started (old-format pid files). */
function startedAtSeconds(pid: number): number | undefined {
  const ticks = Number(processStartTime(pid));
  if (!Number.isFinite(ticks)) return undefined;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
  return btime + ticks / clockTicks;
}

/** The pid a pid file records if that very process still runs (see the header), else undefined. */
export function livePidOfFile(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pidText = '', bin = '', startTime, boot] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!/^\d+$/.test(pidText) || pid <= 1 || !bin || exeOf(pid) !== bin) return undefined;
  if (startTime !== undefined) {
    return startTime === processStartTime(pid) && boot === bootId() ? pid : undefined;
  }
  const started = startedAtSeconds(pid);
  return started !== undefined && started <= statSync(file).mtimeMs / 1000 + 2 ? pid : undefined;
}

/** Live pids recorded in `<dir>/pids/` (all, or those of `names`). */
export function livePids(dir: string, names?: readonly string[]): number[] {
  const d = pidFileDir(dir);
  if (!existsSync(d)) return [];
  const files = names ? names.map((n) => `${n}.pid`) : readdirSync(d).filter((f) => f.endsWith('.pid'));
  return files.map((f) => livePidOfFile(join(d, f))).filter((p): p is number => p !== undefined);
}
