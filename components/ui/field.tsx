'use client';
import type { CSSProperties, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

type Base = { id: string; label: ReactNode; value: string; onChange: (value: string) => void; style?: CSSProperties };

/** A labelled text input as every form lays it out: `.field`, its label, an `.input`. */
export function TextField({
  id,
  label,
  value,
  onChange,
  style,
  ...rest
}: Base & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'style' | 'className'>) {
  return (
    <div className="field" style={style}>
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)} {...rest} />
    </div>
  );
}

/** The same for multi-line text (kubeconfigs, keys, YAML): monospace, no spell check. */
export function TextAreaField({
  id,
  label,
  value,
  onChange,
  style,
  ...rest
}: Base & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'value' | 'onChange' | 'style' | 'className'>) {
  return (
    <div className="field" style={style}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="input mono"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      />
    </div>
  );
}
