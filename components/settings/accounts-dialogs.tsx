'use client';
import { useRef, useState } from 'react';
import { useCreateAccount, useUpdatePassword } from '@/lib/client/accounts';
import { PASSWORD_MIN_LENGTH } from '@/lib/schemas/accounts';
import { ErrorAlert } from '../ui/error-alert';
import { TextField } from '../ui/field';
import { Modal, ModalButtons } from '../ui/modal';

const MISMATCH = 'The two passwords differ.';

/** A new password typed twice: the fields, the value, and whether it may be sent (long enough, both the same). */
function useNewPassword(idPrefix: string) {
  const [value, setValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const fields = (
    <>
      <TextField
        id={`${idPrefix}-password`}
        label={`Password (at least ${PASSWORD_MIN_LENGTH} characters)`}
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN_LENGTH}
        value={value}
        onChange={setValue}
      />
      <TextField
        id={`${idPrefix}-confirm`}
        label="Repeat the password"
        type="password"
        autoComplete="new-password"
        required
        style={{ marginTop: 12 }}
        value={confirm}
        onChange={setConfirm}
      />
      {confirm && confirm !== value ? <p className="field-hint">{MISMATCH}</p> : null}
    </>
  );
  const reset = () => {
    setValue('');
    setConfirm('');
  };
  return { value, fields, reset, ok: value.length >= PASSWORD_MIN_LENGTH && value === confirm };
}

/** Settings → Accounts: "Create account", a dialog asking name and password. */
export function CreateAccountDialog({ allowed }: { allowed: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const create = useCreateAccount();
  const [name, setName] = useState('');
  const password = useNewPassword('account');
  const reset = () => {
    setName('');
    password.reset();
    create.reset();
  };
  return (
    <>
      <button
        type="button"
        className="btn btn-primary"
        disabled={!allowed}
        title={allowed ? undefined : 'You are not allowed to create accounts.'}
        onClick={() => {
          reset();
          ref.current?.showModal();
        }}
      >
        Create account
      </button>
      <Modal
        dialogRef={ref}
        id="create-account"
        title="Create a local account"
        subtitle="It gets policy.default; give it roles with g lines in Settings → Access."
        onSubmit={() =>
          create.mutate({ name: name.trim(), password: password.value }, { onSuccess: () => ref.current?.close() })
        }
        foot={
          <ModalButtons
            dialogRef={ref}
            label="Create account"
            pendingLabel="Creating…"
            pending={create.isPending}
            disabled={!name.trim() || !password.ok}
          />
        }
      >
        <ErrorAlert error={create.error} />
        <TextField
          id="account-name"
          label="Name"
          required
          autoComplete="off"
          placeholder="alice"
          value={name}
          onChange={setName}
          style={{ marginBottom: 12 }}
        />
        {password.fields}
      </Modal>
    </>
  );
}

/** "Change password" on a row: your own asks your current password; another account's only the new one. */
export function PasswordDialog({ name, self, allowed }: { name: string; self: boolean; allowed: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const update = useUpdatePassword();
  const [current, setCurrent] = useState('');
  const id = `password-${name.replace(/[^a-z0-9-]/gi, '-')}`;
  const password = useNewPassword(id);
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        aria-label={`Change the password of ${name}`}
        disabled={!allowed}
        title={allowed ? undefined : 'You are not allowed to change the password of this account.'}
        onClick={() => {
          setCurrent('');
          password.reset();
          update.reset();
          ref.current?.showModal();
        }}
      >
        Password
      </button>
      <Modal
        dialogRef={ref}
        id={id}
        title={self ? 'Change your password' : `Set the password of ${name}`}
        subtitle={self ? undefined : 'Its browser sessions end; its API tokens keep working.'}
        onSubmit={() =>
          update.mutate(
            { name, newPassword: password.value, currentPassword: self ? current : undefined },
            { onSuccess: () => ref.current?.close() },
          )
        }
        foot={
          <ModalButtons
            dialogRef={ref}
            label="Change password"
            pendingLabel="Saving…"
            pending={update.isPending}
            disabled={(self && !current) || !password.ok}
          />
        }
      >
        <ErrorAlert error={update.error} />
        {self ? (
          <TextField
            id={`${id}-current`}
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            value={current}
            onChange={setCurrent}
            style={{ marginBottom: 12 }}
          />
        ) : null}
        {password.fields}
      </Modal>
    </>
  );
}
