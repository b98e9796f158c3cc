/**
 * The time parts of a sync window: a five-field cron schedule (robfig/cron with Minute|Hour|Dom|Month|Dow, no
 * seconds, no descriptors) evaluated in a time zone, and a Go duration ("1h30m", the pipeline domain's
 * parseGoDuration). Pure: the instant is an argument; a paused croner Cron with no callback starts no timer.
 */
import { Cron } from 'croner';
import { parseGoDuration } from '@/lib/domain/pipeline/duration';

export { parseGoDuration };

export function parseCronSchedule(schedule: string, timeZone?: string): Cron | null {
  if (schedule.trim().split(/\s+/).length !== 5) return null;
  try {
    return new Cron(schedule.trim(), { paused: true, timezone: timeZone || 'UTC' });
  } catch {
    return null;
  }
}

/** Whether a time zone name is known to the runtime (IANA database). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
