'use client';
import { useRef, useState } from 'react';
import { useSync, useTerminate } from '@/lib/client/applications';
import type { TApplication, TOperationState, TResourceStatus } from '@/lib/schemas/applications';
import { ErrorAlert } from '../ui/error-alert';
import { TextField } from '../ui/field';
import { Check, CloseButton, Modal, ModalButtons } from '../ui/modal';
import { StateIcon } from '../ui/status-badge';
import { resourceKey } from './format';
import { OperationProgress } from './operation-progress';

/**
 * "Sync": pick resources and options, then watch the operation's phases, waves and results live. `denied`: why
 * the caller may not sync (the button is then disabled with it as its tooltip); Terminate needs sync too.
 */
export function SyncDialog({ app, denied }: { app: TApplication; denied?: string }) {
  const name = app.metadata.name;
  const ref = useRef<HTMLDialogElement>(null);
  const sync = useSync(name);
  const terminate = useTerminate(name);
  const resources = app.status.resources.filter((r) => !r.hook);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [prune, setPrune] = useState(false);
  const [dryRun, setDryRun] = useState(false);
  const [outOfSyncOnly, setOutOfSyncOnly] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [started, setStarted] = useState<TOperationState | null>(null);

  const open = () => {
    sync.reset();
    terminate.reset();
    setSelected(new Set(resources.map(resourceKey)));
    setPrune(app.spec.syncPolicy.automated?.prune ?? false);
    setDryRun(false);
    setOutOfSyncOnly(false);
    setConfirm('');
    // Opening Sync while an operation runs shows that operation (and Terminate) instead of a new form.
    const current = app.status.operationState;
    setStarted(current && (current.phase === 'Running' || current.phase === 'Terminating') ? current : null);
    ref.current?.showModal();
  };
  const chosen = resources.filter((r) => selected.has(resourceKey(r)));
  const pruning = prune && !dryRun && chosen.some((r) => r.requiresPrune);
  const confirmed = !pruning || confirm === name;
  const canSubmit = confirmed && (chosen.length > 0 || resources.length === 0);
  const toggle = (r: TResourceStatus) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(resourceKey(r))) next.delete(resourceKey(r));
      else next.add(resourceKey(r));
      return next;
    });
  const submit = () => {
    if (!canSubmit) return;
    const subset = chosen.length < resources.length;
    sync.mutate(
      {
        prune,
        dryRun,
        resources: subset
          ? chosen.map((r) => ({ group: r.group, kind: r.kind, name: r.name, namespace: r.namespace || undefined }))
          : undefined,
        syncOptions: outOfSyncOnly ? ['ApplyOutOfSyncOnly=true'] : [],
      },
      { onSuccess: (op) => setStarted(op) },
    );
  };
  // The app query polls every second while the operation runs; prefer its fresher copy.
  const live = app.status.operationState;
  const op = started && live?.id === started.id ? live : started;
  const running = op?.phase === 'Running';

  return (
    <Modal
      opener={{
        label: 'Sync',
        icon: 'sync',
        className: 'btn btn-primary',
        onOpen: open,
        disabled: Boolean(denied),
        title: denied,
      }}
      dialogRef={ref}
      id="sync"
      title={op ? `Syncing ${name}` : `Sync ${name}`}
      subtitle={
        op ? 'Progress per phase and wave, then per resource.' : 'Apply the desired state from Git to the cluster.'
      }
      onSubmit={submit}
      wide={Boolean(op)}
      foot={
        op ? (
          <>
            {running ? (
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => terminate.mutate()}
                disabled={terminate.isPending || Boolean(denied)}
                title={denied}
              >
                Terminate
              </button>
            ) : null}
            <CloseButton dialogRef={ref} label="Close" />
          </>
        ) : (
          <ModalButtons
            dialogRef={ref}
            label={dryRun ? 'Synchronize (dry run)' : 'Synchronize'}
            pendingLabel="Starting…"
            pending={sync.isPending}
            disabled={!canSubmit}
          />
        )
      }
    >
      <ErrorAlert error={sync.error ?? terminate.error} />
      {op ? (
        <OperationProgress op={op} />
      ) : (
        <>
          <fieldset className="checks">
            <legend>Options</legend>
            <Check checked={prune} onChange={setPrune}>
              Prune
            </Check>
            <Check checked={dryRun} onChange={setDryRun}>
              Dry run
            </Check>
            <Check checked={outOfSyncOnly} onChange={setOutOfSyncOnly}>
              Apply out-of-sync only
            </Check>
          </fieldset>
          <div className="sync-res-head">
            <span className="dialog-section">
              Resources · {chosen.length} of {resources.length}
              {chosen.length < resources.length ? ' (selective sync: hooks do not run)' : ''}
            </span>
            <span className="actions">
              <button
                type="button"
                className="link-btn"
                onClick={() => setSelected(new Set(resources.map(resourceKey)))}
              >
                All
              </button>
              <button
                type="button"
                className="link-btn"
                onClick={() => setSelected(new Set(resources.filter((r) => r.status === 'OutOfSync').map(resourceKey)))}
              >
                Out of sync
              </button>
              <button type="button" className="link-btn" onClick={() => setSelected(new Set())}>
                None
              </button>
            </span>
          </div>
          <ul className="sync-res" aria-label="Resources to sync">
            {resources.map((r) => (
              <li key={resourceKey(r)}>
                <label>
                  <input type="checkbox" checked={selected.has(resourceKey(r))} onChange={() => toggle(r)} />
                  <StateIcon state={r.status} size={14} />
                  <span className="muted">{r.kind}</span> <span className="sync-res-name">{r.name}</span>
                  {r.requiresPrune ? <span className="chip-cond">prune</span> : null}
                </label>
              </li>
            ))}
            {resources.length === 0 ? (
              <li className="muted">No resources compared yet; the sync applies everything in Git.</li>
            ) : null}
          </ul>
          {pruning ? (
            <TextField
              id="sync-confirm"
              fieldClassName="prune-confirm"
              label={
                <>
                  This deletes {chosen.filter((r) => r.requiresPrune).length} resource(s) from the cluster. Type{' '}
                  <code>{name}</code> to confirm.
                </>
              }
              autoComplete="off"
              value={confirm}
              onChange={setConfirm}
            />
          ) : null}
        </>
      )}
    </Modal>
  );
}
