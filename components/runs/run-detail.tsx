'use client';
import Link from 'next/link';
import { useEffect, useMemo, useState } from 'react';
import { layoutPipelineGraph } from '@/lib/domain/pipeline/layout-graph';
import { isRunFinished, type TPipelineRun, type TTaskRun } from '@/lib/schemas/pipeline-runs';
import { usePipelineRun } from '@/lib/client/pipeline-runs';
import { PipelineGraph, type LaidOutGraph } from '../pipeline-graph/pipeline-graph';
import { StatusBadge } from '../ui/status-badge';
import { formatDuration } from '../ui/time-format';
import { RunActions } from './run-actions';
import { RunInfo } from './run-info';
import { RerunOf } from './reused-from';
import { TaskPanel } from './task-panel';
import { ChildPipelineNote, ParentRunLink, pipelineTasks, withChildRuns } from './child-pipeline';
import { elapsedMs, parsePipelineSpec, taskStates } from './task-states';
import '../pipelines/pipelines.css';
import { Ago } from '../ui/ago';

/** A clock that ticks while the run is live, so running durations count up between polls. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [live]);
  return now;
}

/** Run page: status header and actions, the live DAG, the clicked task's steps and logs, params and results. */
/** What the graph's note says of where steps ran: pods in their own images, the worker's tools, or both. */
function executorHint(taskRuns: TTaskRun[]): string {
  const kinds = new Set(taskRuns.map((t) => t.metadata.annotations?.['keelson.dev/executor']).filter(Boolean));
  const pods = 'On Kubernetes each TaskRun is a pod and each step runs in its own image.';
  const local =
    "On the local executor step images are recorded but not pulled: steps run with the worker's own tools (sh, bash, node, python3, git).";
  if (kinds.has('kubernetes') && kinds.has('local')) return `${pods} ${local}`;
  return kinds.has('kubernetes') ? pods : local.replace('On the local executor step', 'Step');
}

export function RunDetail({ initial }: { initial: TPipelineRun }) {
  const { data: run } = usePipelineRun(initial.metadata.name, initial);
  const finished = isRunFinished(run);
  const now = useNow(!finished);
  const [selected, setSelected] = useState<string | undefined>();
  const spec = useMemo(() => parsePipelineSpec(run.status.pipelineSpec), [run.status.pipelineSpec]);
  const names = useMemo(() => (spec ? [...spec.tasks, ...(spec.finally ?? [])].map((t) => t.name) : []), [spec]);
  const childTasks = useMemo(() => pipelineTasks(spec), [spec]);
  const states = useMemo(
    () => withChildRuns(taskStates(run, names, finished, now), run, childTasks, now),
    [run, names, finished, now, childTasks],
  );
  const graph: LaidOutGraph | null = useMemo(() => {
    if (!spec) return null;
    const layout = layoutPipelineGraph(
      spec,
      Object.fromEntries([...states].flatMap(([n, s]) => (s.status ? [[n, s.status]] : []))),
    );
    return {
      ...layout,
      nodes: layout.nodes.map((n) => ({
        ...n,
        detail: states.get(n.id)?.detail,
        tooltip: states.get(n.id)?.tooltip,
        pipeline: childTasks.has(n.id),
      })),
    };
  }, [spec, states, childTasks]);

  const condition = run.status.conditions?.[0];
  const status = condition?.reason || (finished ? 'Unknown' : 'Pending');
  const pipeline = run.metadata.labels?.['tekton.dev/pipeline'];
  const unsandboxed = run.taskRuns.filter((t) => t.status.sandbox === 'none');
  const startedAt = run.status.startTime ?? run.metadata.creationTimestamp;

  return (
    <div className="stack">
      <header className="page-head" style={{ marginBottom: 0 }}>
        <div style={{ minWidth: 0 }}>
          <div className="head-title">
            <h1>{run.metadata.name}</h1>
            <span data-testid="run-status">
              <StatusBadge status={status === 'Started' ? 'Running' : status} />
            </span>
          </div>
          <div className="head-meta">
            <span>project {run.metadata.namespace ?? 'default'}</span>
            <span>
              Pipeline{' '}
              {pipeline ? <Link href={`/pipelines/${encodeURIComponent(pipeline)}`}>{pipeline}</Link> : 'inline spec'}
              {run.metadata.annotations?.['keelson.dev/pipeline-version']
                ? ` v${run.metadata.annotations['keelson.dev/pipeline-version']}`
                : ''}
            </span>
            <span>
              {run.status.startTime || status !== 'Queued' ? 'started' : 'queued'} <Ago at={startedAt} now={now} />
            </span>
            <span>duration {formatDuration(elapsedMs(run.status.startTime, run.status.completionTime, now))}</span>
            <RerunOf run={run} />
            <ParentRunLink run={run} />
            {run.metadata.annotations?.['keelson.dev/created-by'] ? (
              <span>by {run.metadata.annotations['keelson.dev/created-by']}</span>
            ) : null}
          </div>
        </div>
        <RunActions
          name={run.metadata.name}
          project={run.metadata.namespace ?? 'default'}
          authorizedAs={run.authorizedAs}
          pipeline={pipeline}
          finished={finished}
          failed={condition?.status === 'False'}
          queued={
            status === 'Queued' && !run.status.startTime && !run.metadata.labels?.['keelson.dev/parent-pipelinerun']
          }
        />
      </header>

      {condition?.message ? (
        <div
          className={`banner ${condition.status === 'False' ? 'banner-fail' : 'banner-info'}`}
          data-testid="run-message"
        >
          <strong>{condition.reason}</strong>: {condition.message}
        </div>
      ) : null}
      {unsandboxed.length > 0 ? (
        <div className="banner banner-warn" role="alert">
          In {unsandboxed.map((t) => t.metadata.labels?.['tekton.dev/pipelineTask'] ?? t.metadata.name).join(', ')},
          steps ran without the bubblewrap sandbox: as plain processes on the worker, with Tekton paths substituted.
          Install <code>bubblewrap</code> on the workers to isolate them.
        </div>
      ) : null}

      <section className="card" aria-label="Run graph" style={{ padding: 12 }}>
        {graph ? (
          <PipelineGraph graph={graph} selected={selected} onSelect={setSelected} />
        ) : (
          <p className="muted">This run&apos;s pipeline spec could not be read.</p>
        )}
        <p className="muted" style={{ margin: '8px 4px 0', fontSize: 12 }} data-testid="executor-hint">
          Click a task for its steps and logs. {executorHint(run.taskRuns)}
        </p>
      </section>

      {selected ? (
        <TaskPanel
          key={selected}
          name={selected}
          state={states.get(selected)}
          now={now}
          onClose={() => setSelected(undefined)}
          childPipeline={
            childTasks.has(selected) ? (
              <ChildPipelineNote run={run} task={selected} pipeline={childTasks.get(selected)!} now={now} />
            ) : undefined
          }
        />
      ) : null}
      <RunInfo run={run} finished={finished} />
    </div>
  );
}
