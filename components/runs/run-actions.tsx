'use client';
import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import type { TCancelMode } from '@/lib/schemas/pipelines';
import { ErrorAlert } from '../ui/error-alert';
import { notAllowedTitle, useCanI } from '@/lib/client/can-i';
import { useCancelRun, useDeleteRun, useRerun, useRerunFromFailed } from '@/lib/client/pipeline-runs';

const CANCEL_MODES: { mode: TCancelMode; label: string; help: string }[] = [
  { mode: 'Cancelled', label: 'Cancel', help: 'Stop running tasks now; finally tasks do not run.' },
  {
    mode: 'CancelledRunFinally',
    label: 'Cancel, run finally',
    help: 'Stop running tasks now, then run the finally tasks.',
  },
  {
    mode: 'StoppedRunFinally',
    label: 'Stop, run finally',
    help: 'Let running tasks finish, start no new ones, then run finally.',
  },
];

/** Why "Rerun failed tasks" is disabled when the policy allows it: the run goes on, or nothing in it failed. */
function noFailedTasks(finished: boolean): { disabled: true; title: string } {
  return {
    disabled: true,
    title: finished
      ? 'This run succeeded: nothing failed or was cancelled. Use Rerun to run it all again.'
      : 'Only a finished run can rerun its failed tasks: wait for it to end, or cancel it.',
  };
}

/**
 * Rerun, Rerun failed tasks (a finished run with a failed, cancelled or skipped task: reuses what succeeded),
 * Cancel (three Tekton modes, while running) and Delete (once finished, or while queued in its concurrency group:
 * it leaves the queue, as the server allows), disabled with a tooltip when
 * the policy does not allow them. A rerun is asked as a run of the same name pattern and as a run of what it runs,
 * as the server asks: `<project>/<pipeline>-run-*` for a stored Pipeline, `<project>/*` for an inline spec.
 */
export function RunActions({
  name,
  project,
  authorizedAs,
  pipeline,
  finished,
  failed = false,
  queued = false,
}: {
  name: string;
  project: string;
  /** The object cancel and delete are asked on, as the server asks them (a child run: its root run's). */
  authorizedAs?: string;
  pipeline?: string;
  finished: boolean;
  /** It ended with condition False: something failed, was cancelled, timed out or was skipped after that. */
  failed?: boolean;
  /** It waits in its concurrency group (never started) and has no parent run: it may be deleted as it is. */
  queued?: boolean;
}) {
  const router = useRouter();
  const object = `${project}/${name}`;
  const treeObject = authorizedAs ?? object;
  // As the server's runsOf: a run of an inline spec may run anything, so it is asked as `<project>/*`.
  const runsOfPipeline = pipeline ? `${project}/${pipeline}-run-*` : `${project}/*`;
  const canI = useCanI([
    { resource: 'pipelineruns', action: 'create', object },
    ...(['cancel', 'delete'] as const).map((action) => ({ resource: 'pipelineruns', action, object: treeObject })),
    { resource: 'pipelineruns', action: 'create', object: runsOfPipeline },
  ]);
  const denied = (action: 'create' | 'cancel' | 'delete', verb: string) =>
    canI.can('pipelineruns', action, action === 'create' ? object : treeObject) &&
    (action !== 'create' || canI.can('pipelineruns', action, runsOfPipeline))
      ? undefined
      : { disabled: true, title: canI.ready ? notAllowedTitle(verb, 'run') : undefined };
  const noRerun = denied('create', 'rerun');
  const noRerunFailed = noRerun ?? (finished && failed ? undefined : noFailedTasks(finished));
  const noCancel = denied('cancel', 'cancel');
  const noDelete = denied('delete', 'delete');
  const rerun = useRerun(name);
  const rerunFailed = useRerunFromFailed(name);
  const cancel = useCancelRun(name);
  const remove = useDeleteRun(name);
  const menu = useRef<HTMLDetailsElement>(null);
  const error = rerun.error ?? rerunFailed.error ?? cancel.error ?? remove.error;
  const open = (r: { name: string }) => router.push(`/runs/${encodeURIComponent(r.name)}`);
  const deleteButton = (
    <button
      type="button"
      className="btn btn-danger"
      disabled={remove.isPending || Boolean(noDelete)}
      title={noDelete?.title ?? (queued ? 'Take this run out of the queue and delete it; it never started' : undefined)}
      onClick={() => {
        if (window.confirm(`Delete run ${name} with its TaskRuns and logs?`))
          remove.mutate(undefined, { onSuccess: () => router.push('/runs') });
      }}
    >
      Delete
    </button>
  );

  return (
    <div className="actions">
      <ErrorAlert as="span" error={error} plain style={{ margin: 0, padding: '5px 10px' }} />
      <button
        type="button"
        className="btn"
        disabled={rerun.isPending || Boolean(noRerun)}
        title={noRerun?.title}
        onClick={() => rerun.mutate(undefined, { onSuccess: open })}
      >
        {rerun.isPending ? 'Starting…' : 'Rerun'}
      </button>
      <button
        type="button"
        className="btn"
        data-testid="rerun-failed"
        disabled={rerunFailed.isPending || Boolean(noRerunFailed)}
        title={
          noRerunFailed
            ? noRerunFailed.title
            : 'Start a new run that reuses the tasks that succeeded and runs only the others'
        }
        onClick={() => rerunFailed.mutate(undefined, { onSuccess: open })}
      >
        {rerunFailed.isPending ? 'Starting…' : 'Rerun failed tasks'}
      </button>
      {!finished && noCancel ? (
        <button type="button" className="btn btn-danger" disabled title={noCancel.title}>
          Cancel ▾
        </button>
      ) : !finished ? (
        <details className="menu" ref={menu}>
          <summary className="btn btn-danger" role="button" aria-haspopup="menu">
            {cancel.isPending ? 'Cancelling…' : 'Cancel ▾'}
          </summary>
          <div className="menu-items" role="menu" aria-label="Cancel modes">
            {CANCEL_MODES.map((m) => (
              <button
                key={m.mode}
                type="button"
                role="menuitem"
                onClick={() => {
                  if (menu.current) menu.current.open = false;
                  cancel.mutate(m.mode);
                }}
              >
                {m.label}{' '}
                <span className="muted mono" style={{ fontSize: 11 }}>
                  ({m.mode})
                </span>
                <small>{m.help}</small>
              </button>
            ))}
          </div>
        </details>
      ) : (
        deleteButton
      )}
      {!finished && queued ? deleteButton : null}
    </div>
  );
}
