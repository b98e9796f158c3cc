'use client';
import type { ChangeEvent, CSSProperties, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

/** `.field`: a label above its control (the control carries the id). */
export function FieldBox({
  id,
  label,
  style,
  className,
  children,
}: {
  id: string;
  label: ReactNode;
  style?: CSSProperties;
  /** Added to `field`. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={className ? `field ${className}` : 'field'} style={style}>
      <label htmlFor={id}>{label}</label>
      {children}
    </div>
  );
}

type Base = {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  style?: CSSProperties;
  fieldClassName?: string;
};
type Own = 'id' | 'value' | 'onChange' | 'style' | 'className';
type Bind = { id: string; value: string; onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void };

function labelled<P extends Base>(
  { id, label, value, onChange, style, fieldClassName, ...rest }: P,
  control: (bind: Bind, rest: Omit<P, keyof Base>) => ReactNode,
) {
  return (
    <FieldBox id={id} label={label} style={style} className={fieldClassName}>
      {control({ id, value, onChange: (e) => onChange(e.target.value) }, rest)}
    </FieldBox>
  );
}

/** A labelled text input as every form lays it out. */
export function TextField(props: Base & Omit<InputHTMLAttributes<HTMLInputElement>, Own>) {
  return labelled(props, (bind, rest) => <input className="input" {...bind} {...rest} />);
}

/** The same for multi-line text (kubeconfigs, keys, YAML): monospace, no spell check. */
export function TextAreaField(props: Base & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, Own>) {
  return labelled(props, (bind, rest) => <textarea className="input mono" spellCheck={false} {...bind} {...rest} />);
}
