'use client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { foldGroups, type LogEntry } from '@/lib/domain/logs/fold-groups';
import { useLogStream } from '@/lib/client/use-log-stream';
import { ErrorAlert } from '../ui/error-alert';
import { AnsiLine } from './ansi-line';

function Line({ entry, timestamps }: { entry: LogEntry; timestamps: boolean }) {
  return (
    <div className={`log-line${entry.stream === 'stderr' ? ' log-stderr' : ''}`}>
      {timestamps ? <span className="log-ts">{entry.at.slice(11, 23)}</span> : null}
      <AnsiLine text={entry.text} />
    </div>
  );
}

/**
 * A TaskRun's logs, live: per-step sections, ANSI colours, ::group:: folding, timestamps, follow, download; or, when
 * housekeeping deleted them (`removedAt`), a note saying so instead of empty steps.
 */
export function LogView({
  taskRunName,
  steps,
  removedAt,
}: {
  taskRunName: string;
  steps: string[];
  removedAt?: string;
}) {
  if (removedAt)
    return (
      <section className="log-view" aria-label={`Logs of ${taskRunName}`}>
        <p className="muted" data-testid="logs-removed" style={{ margin: 0, padding: '12px 14px' }}>
          The logs of this TaskRun were removed by retention on {removedAt.slice(0, 10)} (KEELSON_LOG_RETENTION_DAYS);
          its steps, results and status are kept.
        </p>
      </section>
    );
  return <LiveLogView taskRunName={taskRunName} steps={steps} />;
}

function LiveLogView({ taskRunName, steps }: { taskRunName: string; steps: string[] }) {
  const { lines, done, error } = useLogStream(taskRunName);
  const [timestamps, setTimestamps] = useState(false);
  const [follow, setFollow] = useState(true);
  const bottom = useRef<HTMLDivElement>(null);
  const byStep = useMemo(() => {
    const map = new Map<string, LogEntry[]>(steps.map((s) => [s, []]));
    for (const l of lines) map.set(l.step, [...(map.get(l.step) ?? []), l]);
    return map;
  }, [lines, steps]);
  useEffect(() => {
    if (follow) bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [lines, follow]);

  return (
    <section className="log-view" aria-label={`Logs of ${taskRunName}`}>
      <div className="log-toolbar">
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> Timestamps
        </label>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="muted" style={{ marginLeft: 'auto' }}>
          {done ? 'complete' : error ? 'stopped' : 'streaming…'}
        </span>
        <a className="btn" href={`/api/v1/taskruns/${encodeURIComponent(taskRunName)}/logs?format=text`} download>
          Download
        </a>
      </div>
      {error ? <ErrorAlert error={error} plain /> : null}
      <div className="log-body" data-testid="log-body">
        {[...byStep].map(([step, entries]) => (
          <div key={step}>
            <div className="log-step">step-{step}</div>
            {foldGroups(entries).map((b, i) =>
              b.kind === 'line' ? (
                <Line key={i} entry={b.entry} timestamps={timestamps} />
              ) : (
                <details key={i} className="log-group">
                  <summary>{b.title}</summary>
                  {b.entries.map((e, j) => (
                    <Line key={j} entry={e} timestamps={timestamps} />
                  ))}
                </details>
              ),
            )}
          </div>
        ))}
        <div ref={bottom} />
      </div>
    </section>
  );
}
