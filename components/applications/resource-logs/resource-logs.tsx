'use client';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { ApiError } from '@/lib/client/api';
import type { PodLogState } from '@/lib/client/pod-log-events';
import { logsUrl, usePods, type LogResource } from '@/lib/client/pod-logs';
import { MAX_LOG_LINES, usePodLogStream } from '@/lib/client/use-pod-log-stream';
import { downloadText, logFileName } from '@/lib/domain/logs/log-download';
import { filterLines } from '@/lib/domain/logs/log-filter';
import { ErrorAlert } from '../../ui/error-alert';
import { OptionControls, SourcePickers, type LogOptions } from './log-controls';
import { LogLines } from './log-lines';
import './resource-logs.css';

const DEFAULT_OPTIONS: LogOptions = {
  follow: true,
  previous: false,
  timestamps: false,
  wrap: false,
  tailLines: 1000,
  sinceSeconds: 0,
};

const forbidden = (project: string, app: string) => `You need the logs, get permission on ${project}/${app}.`;

function StreamStatus({ state }: { state: PodLogState }) {
  const text =
    state.phase === 'connecting'
      ? 'Connecting…'
      : state.phase === 'streaming'
        ? 'Streaming'
        : state.phase === 'ended'
          ? `Ended: ${state.reason === 'closed' ? 'the connection closed' : state.reason}`
          : 'Failed';
  return (
    <span className="pl-status" data-testid="pod-log-status" data-phase={state.phase} role="status">
      {state.phase === 'streaming' ? <span className="pl-live" aria-hidden /> : null}
      {text}
    </span>
  );
}

function save(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The Logs tab of a Pod or a workload in the resource panel: pick a pod and container, then stream its log. */
export function ResourceLogs({ app, project, resource }: { app: string; project: string; resource: LogResource }) {
  const pods = usePods(app, resource);
  const [podName, setPodName] = useState<string>();
  const [containerName, setContainerName] = useState<string>();
  const [options, setOptions] = useState(DEFAULT_OPTIONS);
  const [query, setQuery] = useState('');

  const items = pods.data?.items ?? [];
  const pod = items.find((p) => p.name === podName) ?? items[0];
  const container =
    pod?.containers.find((c) => c.name === containerName) ??
    pod?.containers.find((c) => c.name === pod.defaultContainer) ??
    pod?.containers[0];
  const restarts = container?.restartCount ?? 0;
  const url =
    pod && container
      ? logsUrl(app, resource, {
          podName: pod.name,
          container: container.name,
          follow: options.follow,
          previous: options.previous && restarts > 0,
          tailLines: options.tailLines,
          sinceSeconds: options.sinceSeconds,
        })
      : null;
  const stream = usePodLogStream(url);
  const shown = useMemo(() => filterLines(stream.lines, query), [stream.lines, query]);

  if (pods.error) {
    const status = pods.error instanceof ApiError ? pods.error.status : undefined;
    return <ErrorAlert error={status === 403 ? forbidden(project, app) : pods.error} plain />;
  }
  if (!pods.data) return <p className="muted">Loading pods…</p>;
  if (!pod || !container)
    return (
      <p className="muted" data-testid="pod-logs-no-pods">
        {resource.kind === 'Pod' ? 'The pod is not in the cluster.' : `No pods for this ${resource.kind} yet.`}
      </p>
    );

  const onFilterKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Escape clears the filter first; only an empty filter lets Escape close the panel.
    if (e.key === 'Escape' && query !== '') {
      e.stopPropagation();
      setQuery('');
    }
  };
  const error =
    stream.phase === 'error'
      ? stream.error?.status === 403
        ? forbidden(project, app)
        : (stream.error?.message ?? 'The log stream failed.')
      : null;

  return (
    <section className="pod-logs" aria-label="Logs" data-testid="pod-logs">
      <SourcePickers
        pods={items}
        pod={pod}
        container={container}
        showPodPicker={resource.kind !== 'Pod'}
        onPod={(name) => {
          setPodName(name);
          setContainerName(undefined);
        }}
        onContainer={setContainerName}
      />
      <OptionControls options={options} restarts={restarts} onChange={(o) => setOptions((s) => ({ ...s, ...o }))} />
      <div className="pl-bar">
        <input
          type="search"
          className="input pl-filter"
          placeholder="Filter lines"
          aria-label="Filter lines"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onFilterKey}
        />
        <button
          type="button"
          className="btn"
          disabled={shown.length === 0}
          onClick={() => save(downloadText(shown, options.timestamps), logFileName(pod.name, container.name))}
        >
          Download
        </button>
        <StreamStatus state={stream} />
        {stream.phase === 'ended' || stream.phase === 'error' ? (
          <button type="button" className="btn" onClick={stream.restart}>
            Reload
          </button>
        ) : null}
      </div>
      {error ? <ErrorAlert error={error} plain /> : null}
      {query ? (
        <p className="pl-note" aria-live="polite">
          {shown.length.toLocaleString('en')} of {stream.lines.length.toLocaleString('en')} lines match
        </p>
      ) : null}
      {stream.dropped > 0 ? (
        <p className="pl-note" role="note">
          Only the newest {MAX_LOG_LINES.toLocaleString('en')} lines are kept; {stream.dropped.toLocaleString('en')}{' '}
          older lines were dropped.
        </p>
      ) : null}
      {stream.phase === 'error' && stream.lines.length === 0 ? null : (
        <LogLines
          lines={shown}
          timestamps={options.timestamps}
          wrap={options.wrap}
          query={query}
          follow={options.follow}
          empty={
            stream.phase === 'connecting'
              ? 'Connecting…'
              : query && stream.lines.length > 0
                ? `No lines match “${query}”.`
                : 'No log lines yet.'
          }
        />
      )}
    </section>
  );
}
