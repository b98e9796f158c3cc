/**
 * KEELSON_RUN_RETENTION: which finished runs housekeeping deletes (with their TaskRuns, logs, results and run
 * folders). Rules, comma-separated; a run goes when any rule says so, a run still going never does:
 * - `keep=<N>`: keep the newest N finished PipelineRuns of each pipeline (per project; inline pipelineSpec runs of
 *   a project count as one pipeline), as Tekton's pruner `keep`;
 * - `max-age=<duration>` (or just `<duration>`): delete PipelineRuns and standalone TaskRuns that finished longer
 *   ago than that, as the pruner's `keep-since`; durations are whole days, hours or minutes: `30d`, `12h`, `90m`.
 * `unlimited` (the default) or an empty value deletes no run.
 */
/** On a TaskRun whose log lines housekeeping deleted (KEELSON_LOG_RETENTION_DAYS): when it did. */
export const LOGS_REMOVED_ANNOTATION = 'keelson.dev/logs-removed-at';

export interface RunRetention {
  /** Newest finished PipelineRuns kept per pipeline. */
  keep?: number;
  /** Runs that finished longer ago than this are deleted. */
  maxAgeMs?: number;
}

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;
const EXAMPLE = 'e.g. keep=100, max-age=30d or keep=100,max-age=30d (or unlimited)';

function duration(text: string): number {
  const m = /^(\d+)([dhm])$/.exec(text);
  if (!m || Number(m[1]) < 1)
    throw new Error(`"${text}" is not a duration: write whole days, hours or minutes such as 30d, 12h or 90m`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/** Parses the setting; throws a message that says what is wrong and what to write instead. */
export function parseRunRetention(value: string): RunRetention {
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'unlimited') return {};
  const out: RunRetention = {};
  for (const rule of text.split(/[\s,]+/).filter(Boolean)) {
    const [key, arg] = rule.includes('=') ? rule.split('=', 2) : ['max-age', rule];
    if (key === 'keep') {
      if (!/^\d+$/.test(arg) || Number(arg) < 1)
        throw new Error(`keep=${arg}: keep wants a whole number of runs, 1 or more (${EXAMPLE})`);
      if (out.keep !== undefined) throw new Error(`keep is given twice (${EXAMPLE})`);
      out.keep = Number(arg);
    } else if (key === 'max-age' || key === 'keep-since') {
      if (out.maxAgeMs !== undefined) throw new Error(`max-age is given twice (${EXAMPLE})`);
      out.maxAgeMs = duration(arg);
    } else {
      throw new Error(`"${rule}" is not a rule: use keep=<runs per pipeline> and/or max-age=<age> (${EXAMPLE})`);
    }
  }
  return out;
}

/** How the setting reads back, for logs: `keep 100 per pipeline, max-age 30d`. */
export function describeRunRetention(r: RunRetention): string {
  const parts = [
    ...(r.keep !== undefined ? [`keep the newest ${r.keep} per pipeline`] : []),
    ...(r.maxAgeMs !== undefined ? [`delete after ${Math.round(r.maxAgeMs / 3_600_000)}h`] : []),
  ];
  return parts.length ? parts.join(', ') : 'unlimited';
}
