'use client';
import type { InputHTMLAttributes, ReactNode } from 'react';
import { FieldBox } from './field';

/** A `.segmented` group of toggle buttons; the pressed one is the current value. */
export function Segmented<V extends string>({
  label,
  value,
  onChange,
  options,
}: {
  label: string;
  value: V;
  onChange: (value: V) => void;
  options: readonly { value: V; label: ReactNode; title?: string }[];
}) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={value === o.value}
          onClick={() => onChange(o.value)}
          title={o.title}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}

/**
 * A filter select: "All …" (no filter) then the options. With an id it stands in a labelled
 * `.field`; without one its label is its accessible name.
 */
export function FilterSelect({
  id,
  label,
  all,
  value,
  options,
  onChange,
}: {
  id?: string;
  label: string;
  all: string;
  value: string | undefined;
  options: readonly string[];
  onChange: (value: string | undefined) => void;
}) {
  const select = (
    <select
      id={id}
      className="input"
      aria-label={id ? undefined : label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
    >
      <option value="">{all}</option>
      {options.map((o) => (
        <option key={o}>{o}</option>
      ))}
    </select>
  );
  return id ? (
    <FieldBox id={id} label={label}>
      {select}
    </FieldBox>
  ) : (
    select
  );
}

/** An input without a visible label: its label is its placeholder and its accessible name. */
export function PlainInput({
  label,
  value,
  onChange,
  ...rest
}: { label: string; value: string; onChange: (value: string) => void } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange' | 'placeholder' | 'aria-label'
>) {
  return (
    <input placeholder={label} aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} {...rest} />
  );
}
