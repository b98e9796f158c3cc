'use client';
import { useState } from 'react';
import type { TTaskRun } from '@/lib/schemas/pipeline-runs';
import { LOGS_REMOVED_ANNOTATION } from '@/lib/domain/pipeline/run-retention';
import { LogView } from '../log-view/log-view';
import { StatusBadge } from '../ui/status-badge';
import { formatDuration } from '../ui/time-format';
import { elapsedMs, taskRunStatus, type TaskState } from './task-states';
import { Dash, DataTable, wide } from '../ui/data-table';
import { ReusedNote } from './reused-from';

export function showValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Which executor ran it (`keelson.dev/executor`, set when a worker claimed it) and its pod, if any. */
function ExecutorNote({ tr }: { tr: TTaskRun }) {
  const executor = tr.metadata.annotations?.['keelson.dev/executor'];
  if (!executor) return null;
  return (
    <span data-testid="taskrun-executor">
      executor: {executor}
      {tr.status.podName ? (
        <>
          {' · pod '}
          <span className="mono cell-wrap" data-testid="taskrun-pod">
            {tr.status.podName}
          </span>
        </>
      ) : null}
    </span>
  );
}

function TaskRunDetail({ tr, now }: { tr: TTaskRun; now: number }) {
  const images = new Map((tr.spec.steps ?? []).map((s) => [s.name, s.image ?? '']));
  const displayNames = new Map((tr.spec.steps ?? []).map((s) => [s.name, s.displayName ?? '']));
  const states = new Map((tr.status.steps ?? []).map((s) => [s.name, s]));
  const steps = (tr.spec.steps ?? []).map((s) => s.name);
  for (const s of states.keys()) if (!steps.includes(s)) steps.push(s);
  const message = tr.status.conditions?.[0]?.message;
  // On Kubernetes each step ran in its image; the local executor only records it.
  const onPods = tr.metadata.annotations?.['keelson.dev/executor'] === 'kubernetes';
  return (
    <>
      <div className="head-meta" style={{ marginTop: 0, marginBottom: 10 }}>
        <span className="mono">{tr.metadata.name}</span>
        <StatusBadge status={taskRunStatus(tr)} />
        <span>{formatDuration(elapsedMs(tr.status.startTime, tr.status.completionTime, now))}</span>
        {tr.status.retryCount ? <span>retry {tr.status.retryCount}</span> : null}
        <ExecutorNote tr={tr} />
        {message ? <span>{message}</span> : null}
      </div>
      <div style={{ overflowX: 'auto', marginBottom: 12 }}>
        <DataTable
          label="Steps"
          columns={['Step', wide(onPods ? 'Image' : 'Image (recorded)'), 'Exit', 'Duration', 'Reason']}
        >
          {steps.map((name) => {
            const t = states.get(name)?.terminated;
            const running = states.get(name)?.running;
            return (
              <tr key={name}>
                <td className={displayNames.get(name) ? undefined : 'mono'}>
                  {displayNames.get(name) ? (
                    <>
                      <span style={{ overflowWrap: 'break-word' }}>{displayNames.get(name)}</span>
                      <div className="mono muted" style={{ fontSize: 11 }} title="Step name">
                        {name}
                      </div>
                    </>
                  ) : (
                    name
                  )}
                  <div className="show-sm muted cell-wrap" style={{ fontSize: 11 }}>
                    {images.get(name)}
                  </div>
                </td>
                <td className="mono muted cell-wrap hide-sm">{images.get(name) || '—'}</td>
                <td className="mono">{t?.exitCode ?? '—'}</td>
                <td>{formatDuration(elapsedMs(t?.startedAt ?? running?.startedAt, t?.finishedAt, now))}</td>
                <td>
                  {t?.reason ? (
                    <StatusBadge status={t.reason} />
                  ) : running ? (
                    <StatusBadge status="Running" />
                  ) : (
                    <Dash />
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </div>
      {tr.status.results?.length ? (
        <div style={{ marginBottom: 12 }}>
          <h3 className="dialog-section">Results</h3>
          <dl className="kv">
            {tr.status.results.map((r) => (
              <div key={r.name} style={{ display: 'contents' }}>
                <dt>{r.name}</dt>
                <dd>{showValue(r.value)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      <LogView
        key={tr.metadata.name}
        taskRunName={tr.metadata.name}
        steps={steps}
        removedAt={tr.metadata.annotations?.[LOGS_REMOVED_ANNOTATION]}
      />
    </>
  );
}

/** The clicked task: its TaskRun(s) with steps, results and live logs, or why it was skipped. */
export function TaskPanel({
  name,
  state,
  now,
  onClose,
  childPipeline,
}: {
  name: string;
  state: TaskState | undefined;
  now: number;
  onClose: () => void;
  /** A task that runs a child PipelineRun: the line that links to it (child-pipeline.tsx). */
  childPipeline?: React.ReactNode;
}) {
  const runs = state?.taskRuns ?? [];
  const [index, setIndex] = useState(0);
  const tr = runs[Math.min(index, runs.length - 1)];
  return (
    <section className="card task-panel" aria-label={`Task ${name}`} data-testid="task-panel">
      <div className="card-head">
        <div className="head-title">
          <h2>{name}</h2>
          <StatusBadge status={state?.status} />
        </div>
        <div className="actions">
          {runs.length > 1 ? (
            <select
              className="input"
              aria-label="TaskRun"
              value={index}
              onChange={(e) => setIndex(Number(e.target.value))}
              style={{ width: 'auto' }}
            >
              {runs.map((r, i) => (
                <option key={r.metadata.name} value={i}>
                  {r.metadata.labels?.['keelson.dev/matrix-index'] !== undefined
                    ? `matrix #${r.metadata.labels['keelson.dev/matrix-index']}`
                    : r.metadata.name}
                </option>
              ))}
            </select>
          ) : null}
          <button type="button" className="panel-close" aria-label="Close task panel" onClick={onClose}>
            ×
          </button>
        </div>
      </div>
      {state?.skipReason ? <div className="banner banner-info">Skipped: {state.skipReason}</div> : null}
      {childPipeline}
      {!tr && !state?.skipReason && !childPipeline ? (
        <p className="muted">No TaskRun yet: this task waits for the tasks it depends on.</p>
      ) : null}
      {tr ? <ReusedNote tr={tr} /> : null}
      {tr ? <TaskRunDetail tr={tr} now={now} /> : null}
    </section>
  );
}
