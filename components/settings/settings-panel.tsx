'use client';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../ui/error-alert';
import './gitops-settings.css';

/**
 * The settings list pattern (repositories, clusters): the create form, the error of the last
 * removal, then either the empty state or a card holding the table.
 */
export function SettingsPanel({
  form,
  error,
  empty,
  isEmpty,
  children,
}: {
  form: ReactNode;
  error: Error | null;
  empty: ReactNode;
  isEmpty: boolean;
  children: ReactNode;
}) {
  return (
    <div className="settings-stack">
      {form}
      <ErrorAlert error={error} />
      {isEmpty ? empty : <section className="card card-flush">{children}</section>}
    </div>
  );
}

/** A settings create form: a card with its title, the mutation's error, the fields, then a hint beside Submit. */
export function SettingsForm({
  label,
  title,
  error,
  onSubmit,
  hint,
  submitLabel,
  pendingLabel,
  pending,
  disabled,
  children,
}: {
  label: string;
  title: string;
  error: Error | null;
  onSubmit: () => void;
  hint: ReactNode;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  disabled: boolean;
  children: ReactNode;
}) {
  return (
    <form
      className="card settings-form"
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <h2>{title}</h2>
      <ErrorAlert error={error} />
      {children}
      <div className="settings-form-foot">
        <span className="field-hint">{hint}</span>
        <button type="submit" className="btn btn-primary" disabled={pending || disabled}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}

/** A remove/revoke button that asks first (window.confirm), as every settings list does. */
export function ConfirmButton({
  question,
  onConfirm,
  disabled,
  label,
  className = 'btn btn-danger',
  children,
}: {
  question: string;
  onConfirm: () => void;
  disabled: boolean;
  label?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-label={label}
      disabled={disabled}
      onClick={() => window.confirm(question) && onConfirm()}
    >
      {children}
    </button>
  );
}
