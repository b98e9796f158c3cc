'use client';
import type { ReactNode } from 'react';
import { DataTable, type Column } from '../ui/data-table';
import { EmptyState } from '../ui/empty-state';
import { ErrorAlert } from '../ui/error-alert';
import type { IconName } from '../ui/icons';
import './gitops-settings.css';

/** What a list's remove button needs of its mutation. */
export interface Removal<A> {
  error: Error | null;
  isPending: boolean;
  mutate: (arg: A) => void;
}

/**
 * The settings list pattern (repositories, clusters): the create form, the error of the last
 * removal, then either the empty state or a card holding the table, each row ending in Remove.
 */
export function SettingsList<T, A>({
  form,
  label,
  items,
  columns,
  cells,
  remove,
  removal,
  empty,
}: {
  form: ReactNode;
  label: string;
  items: T[];
  columns: Column[];
  cells: (item: T) => ReactNode;
  remove: Removal<A>;
  /** The row's key, what Remove passes to the mutation, its accessible name and its confirmation. */
  removal: (item: T) => { key: string; arg: A; label: string; question: string };
  empty: { icon: IconName; title: string; example: string; text: ReactNode };
}) {
  return (
    <div className="settings-stack">
      {form}
      <ErrorAlert error={remove.error} />
      {items.length === 0 ? (
        <EmptyState icon={empty.icon} title={empty.title} example={empty.example}>
          {empty.text}
        </EmptyState>
      ) : (
        <section className="card card-flush">
          <DataTable label={label} columns={[...columns, '']}>
            {items.map((item) => {
              const r = removal(item);
              return (
                <tr key={r.key}>
                  {cells(item)}
                  <td style={{ textAlign: 'right' }}>
                    <ConfirmButton
                      className="btn btn-sm btn-danger"
                      label={r.label}
                      disabled={remove.isPending}
                      question={r.question}
                      onConfirm={() => remove.mutate(r.arg)}
                    >
                      Remove
                    </ConfirmButton>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        </section>
      )}
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

/**
 * A table row's Delete: asks first; when refused it is disabled inside a span whose title says why (a disabled
 * button shows no tooltip of its own).
 */
export function DeleteRowButton({
  name,
  question,
  refusal,
  pending,
  onDelete,
}: {
  name: string;
  question: string;
  /** Why this row may not be deleted, or undefined when it may. */
  refusal: string | undefined;
  pending: boolean;
  onDelete: () => void;
}) {
  return (
    <span title={refusal}>
      <ConfirmButton
        className="btn btn-sm btn-danger"
        label={`Delete ${name}`}
        disabled={pending || refusal !== undefined}
        question={question}
        onConfirm={onDelete}
      >
        Delete
      </ConfirmButton>
    </span>
  );
}
