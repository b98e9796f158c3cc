'use client';
import { useRef, useState } from 'react';
import { useAppDiff, useHistory, useRollback } from '@/lib/client/applications';
import type { THistoryEntry } from '@/lib/schemas/applications';
import { DiffView } from '../diff-view/diff-view';
import { ErrorAlert } from '../ui/error-alert';
import { Modal, ModalButtons } from '../ui/modal';
import { StateIcon } from '../ui/status-badge';
import { shortSha, subject } from './format';
import { DataTable, wide } from '../ui/data-table';
import { Ago } from '../ui/ago';

function RevisionDiff({ app, entry }: { app: string; entry: THistoryEntry }) {
  const { data, error, isPending } = useAppDiff(app, entry.revision);
  if (isPending) return <p className="muted">Comparing {shortSha(entry.revision)} with the live state…</p>;
  if (error) return <ErrorAlert error={error} />;
  const changed = (data ?? []).filter((r) => r.diff.trim() || r.requiresPrune || r.status !== 'Synced');
  if (changed.length === 0) return <p className="muted">The live state already matches {shortSha(entry.revision)}.</p>;
  return (
    <div className="rb-diffs">
      {changed.map((r) => (
        <details key={`${r.group}/${r.kind}/${r.namespace}/${r.name}`} open={changed.length <= 3}>
          <summary>
            <StateIcon state={r.status} size={14} /> <span className="muted">{r.kind}</span> {r.name}
            {r.requiresPrune ? <span className="chip-cond">not at this revision</span> : null}
          </summary>
          <DiffView
            diff={r.diff}
            rightLabel={`At ${shortSha(entry.revision)}`}
            emptyText={
              r.requiresPrune
                ? `Not in Git at ${shortSha(entry.revision)}: pruned only if you prune.`
                : 'No line diff for this resource (missing on one side or only defaults differ).'
            }
          />
        </details>
      ))}
    </div>
  );
}

/** "Rollback": pick a deployed revision, see its diff against live, confirm; the app is pinned to it. */
export function RollbackDialog({
  app,
  currentRevision,
  denied,
}: {
  app: string;
  currentRevision?: string;
  /** Why the caller may not roll back (Argo CD checks sync); the button is then disabled. */
  denied?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [opened, setOpened] = useState(false);
  const [chosen, setChosen] = useState<THistoryEntry | null>(null);
  const [reason, setReason] = useState('');
  const history = useHistory(app, opened);
  const rollback = useRollback(app);
  const open = () => {
    rollback.reset();
    setChosen(null);
    setReason('');
    setOpened(true);
    ref.current?.showModal();
  };
  const submit = () => {
    if (!chosen) return;
    rollback.mutate({ id: chosen.id, reason: reason.trim() || undefined }, { onSuccess: () => ref.current?.close() });
  };
  const entries = [...(history.data ?? [])].sort((a, b) => b.id - a.id);
  return (
    <Modal
      opener={{
        label: 'Rollback',
        icon: 'rollback',
        className: 'btn',
        onOpen: open,
        disabled: Boolean(denied),
        title: denied,
      }}
      dialogRef={ref}
      id="rollback"
      title={`Roll back ${app}`}
      subtitle="Deploys an earlier revision and pins the app to it: automated sync holds until you unpin."
      wide
      onSubmit={submit}
      onClose={() => setOpened(false)}
      foot={
        <ModalButtons
          dialogRef={ref}
          label={chosen ? `Roll back to ${shortSha(chosen.revision)}` : 'Choose a revision'}
          pendingLabel="Rolling back…"
          pending={rollback.isPending}
          disabled={!chosen}
        />
      }
    >
      <ErrorAlert error={rollback.error ?? history.error} />
      {history.isPending && opened ? <p className="muted">Loading history…</p> : null}
      {!history.isPending && entries.length === 0 ? (
        <p className="muted">No deployments yet: history starts with the first sync.</p>
      ) : null}
      {entries.length > 0 ? (
        <div className="card card-flush rb-history">
          <DataTable label="History" columns={['ID', 'Revision', wide('Author'), 'Deployed', wide('By')]}>
            {entries.map((e) => {
              const current = e.revision === currentRevision;
              return (
                <tr key={e.id} className={chosen?.id === e.id ? 'row-selected' : undefined}>
                  <td>
                    <label className="rb-pick">
                      <input
                        type="radio"
                        name="rollback-id"
                        checked={chosen?.id === e.id}
                        onChange={() => setChosen(e)}
                        aria-label={`Revision ${e.id}`}
                      />
                      {e.id}
                    </label>
                  </td>
                  <td className="cell-wrap">
                    <code>{shortSha(e.revision)}</code> {current ? <span className="chip-auto">live</span> : null}
                    <div className="rb-msg">
                      {subject(e.commit?.message) || <span className="muted">{e.source.targetRevision}</span>}
                    </div>
                  </td>
                  <td className="hide-sm">{e.commit?.author ?? '—'}</td>
                  <td style={{ whiteSpace: 'nowrap' }}>
                    <Ago at={e.deployedAt} />
                  </td>
                  <td className="hide-sm">{e.initiatedBy.automated ? 'auto-sync' : (e.initiatedBy.username ?? '—')}</td>
                </tr>
              );
            })}
          </DataTable>
        </div>
      ) : null}
      {chosen ? (
        <>
          <div className="dialog-section" style={{ marginTop: 16 }}>
            Changes from live to {shortSha(chosen.revision)}
          </div>
          <RevisionDiff app={app} entry={chosen} />
          <div className="field" style={{ marginTop: 12 }}>
            <label htmlFor="rollback-reason">Reason (shown on the pinned banner)</label>
            <input
              id="rollback-reason"
              className="input"
              maxLength={500}
              placeholder="e.g. 5xx after release 1.4"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
        </>
      ) : null}
    </Modal>
  );
}
