'use client';
import type { FormEvent, ReactNode, RefObject } from 'react';
import { IconLabel, type IconName } from './icons';
import './modal.css';

/** The button that opens a dialog: its class, an optional icon, its text. */
export interface Opener {
  label: string;
  icon?: IconName;
  className: string;
  onOpen: () => void;
  /** A button the caller may not use is drawn disabled, saying why in its tooltip. */
  disabled?: boolean;
  title?: string;
}

/** A native modal <dialog>: head, scrolling body, foot; used by every dialog of both engines. */
export function Modal({
  dialogRef,
  id,
  title,
  subtitle,
  wide,
  onSubmit,
  onClose,
  children,
  foot,
  className = 'start-dialog app-dialog',
  opener,
}: {
  /** When given, the button that opens the dialog is drawn just before it. */
  opener?: Opener;
  dialogRef: RefObject<HTMLDialogElement | null>;
  id: string;
  /** The pipelines' start dialog is `start-dialog` alone; the applications' dialogs add `app-dialog`. */
  className?: string;
  title: string;
  subtitle?: ReactNode;
  wide?: boolean;
  onSubmit?: () => void;
  onClose?: () => void;
  children: ReactNode;
  foot: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <>
      {opener ? (
        <button
          type="button"
          className={opener.className}
          onClick={opener.onOpen}
          disabled={opener.disabled}
          title={opener.title}
        >
          {opener.icon ? <IconLabel icon={opener.icon} text={opener.label} /> : opener.label}
        </button>
      ) : null}
      <dialog
        ref={dialogRef}
        className={`${className}${wide ? ' app-dialog-wide' : ''}`}
        aria-labelledby={`${id}-title`}
        onClose={onClose}
      >
        <form method="dialog" onSubmit={submit}>
          <div className="dialog-head">
            <h2 id={`${id}-title`}>{title}</h2>
            {subtitle ? <span className="muted">{subtitle}</span> : null}
          </div>
          <div className="dialog-body">{children}</div>
          <div className="dialog-foot">{foot}</div>
        </form>
      </dialog>
    </>
  );
}

/** A dialog's usual foot: Cancel closes it, the submit button shows its pending label while the mutation runs. */
export function ModalButtons({
  dialogRef,
  label,
  pendingLabel,
  pending,
  disabled,
  submitClassName = 'btn btn-primary',
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  label: ReactNode;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  submitClassName?: string;
}) {
  return (
    <>
      <CloseButton dialogRef={dialogRef} label="Cancel" />
      <button type="submit" className={submitClassName} disabled={pending || disabled}>
        {pending ? pendingLabel : label}
      </button>
    </>
  );
}

export function CloseButton({ dialogRef, label }: { dialogRef: RefObject<HTMLDialogElement | null>; label: string }) {
  return (
    <button type="button" className="btn" onClick={() => dialogRef.current?.close()}>
      {label}
    </button>
  );
}

/** A labelled checkbox as the dialogs and forms lay them out: the box, a space, the text. */
export function Check({
  checked,
  onChange,
  disabled,
  className,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={className}>
      <input type="checkbox" disabled={disabled} checked={checked} onChange={(e) => onChange(e.target.checked)} />{' '}
      {children}
    </label>
  );
}
