'use client';
import type { FormEvent, ReactNode, RefObject } from 'react';
import { ApiError } from '@/lib/client/api';

/** A native modal <dialog> laid out like the pipelines' start dialog: head, scrolling body, foot. */
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
}: {
  dialogRef: RefObject<HTMLDialogElement | null>;
  id: string;
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
    <dialog
      ref={dialogRef}
      className={`start-dialog app-dialog${wide ? ' app-dialog-wide' : ''}`}
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
  );
}

export function ErrorAlert({ error }: { error: Error | null | undefined }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {error.message}
      {error instanceof ApiError && error.issues.length > 0 ? (
        <ul className="issues">
          {error.issues.map((i) => (
            <li key={`${i.path}:${i.message}`}>
              <code>{i.path}</code>: {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      {error instanceof ApiError && error.hint ? <div className="muted">{error.hint}</div> : null}
    </div>
  );
}
