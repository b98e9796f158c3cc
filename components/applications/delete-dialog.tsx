'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useDeleteApp } from '@/lib/client/applications';
import { ErrorAlert } from '../ui/error-alert';
import { TextField } from '../ui/field';
import { Check, Modal, ModalButtons } from '../ui/modal';

/** "Delete": typed-name confirmation; cascade also deletes the app's resources from the cluster. */
export function DeleteDialog({ app, denied }: { app: string; denied?: string }) {
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
    <Modal
      opener={{
        label: 'Delete',
        icon: 'trash',
        className: 'btn btn-danger',
        onOpen: open,
        disabled: Boolean(denied),
        title: denied,
      }}
      dialogRef={ref}
      id="delete"
      title={`Delete ${app}`}
      onSubmit={submit}
      foot={
        <ModalButtons
          dialogRef={ref}
          label="Delete application"
          pendingLabel="Deleting…"
          pending={del.isPending}
          disabled={typed !== app}
          submitClassName="btn btn-danger-solid"
        />
      }
    >
      <ErrorAlert error={del.error} />
      <Check className="checks-line" checked={cascade} onChange={setCascade}>
        Cascade: also delete the app&apos;s resources from the cluster
      </Check>
      <p className="muted">
        {cascade
          ? 'Every resource this app deployed is deleted, then the app.'
          : 'The resources stay in the cluster, no longer managed by Keelson.'}
      </p>
      <TextField
        id="delete-confirm"
        label={
          <>
            Type <code>{app}</code> to confirm
          </>
        }
        autoComplete="off"
        value={typed}
        onChange={setTyped}
      />
    </Modal>
  );
}
