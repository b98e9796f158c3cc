'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useDeleteApp } from '@/lib/client/applications';
import { Icon } from '../ui/icons';
import { ErrorAlert, Modal } from './modal';

/** "Delete": typed-name confirmation; cascade also deletes the app's resources from the cluster. */
export function DeleteDialog({ app }: { app: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const del = useDeleteApp(app);
  const [typed, setTyped] = useState('');
  const [cascade, setCascade] = useState(true);
  const open = () => {
    del.reset();
    setTyped('');
    setCascade(true);
    ref.current?.showModal();
  };
  const submit = () => {
    if (typed !== app) return;
    del.mutate(cascade, {
      onSuccess: () => {
        ref.current?.close();
        router.push('/applications');
      },
    });
  };
  return (
    <>
      <button type="button" className="btn btn-danger" onClick={open}>
        <Icon name="trash" size={16} /> Delete
      </button>
      <Modal
        dialogRef={ref}
        id="delete"
        title={`Delete ${app}`}
        onSubmit={submit}
        foot={
          <>
            <button type="button" className="btn" onClick={() => ref.current?.close()}>
              Cancel
            </button>
            <button type="submit" className="btn btn-danger-solid" disabled={typed !== app || del.isPending}>
              {del.isPending ? 'Deleting…' : 'Delete application'}
            </button>
          </>
        }
      >
        <ErrorAlert error={del.error} />
        <label className="checks-line">
          <input type="checkbox" checked={cascade} onChange={(e) => setCascade(e.target.checked)} /> Cascade: also
          delete the app&apos;s resources from the cluster
        </label>
        <p className="muted">
          {cascade
            ? 'Every resource this app deployed is deleted, then the app.'
            : 'The resources stay in the cluster, no longer managed by Keelson.'}
        </p>
        <div className="field">
          <label htmlFor="delete-confirm">
            Type <code>{app}</code> to confirm
          </label>
          <input
            id="delete-confirm"
            className="input"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
      </Modal>
    </>
  );
}
