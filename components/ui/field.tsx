'use client';
import type { ChangeEvent, CSSProperties, InputHTMLAttributes, ReactNode, TextareaHTMLAttributes } from 'react';

type Base = { id: string; label: ReactNode; value: string; onChange: (value: string) => void; style?: CSSProperties };
type Own = 'id' | 'value' | 'onChange' | 'style' | 'className';
type Bind = { id: string; value: string; onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => void };

/** `.field`: the label above its control; the control gets the id, the value and the change handler. */
function labelled<P extends Base>(
  { id, label, value, onChange, style, ...rest }: P,
  control: (bind: Bind, rest: Omit<P, keyof Base>) => ReactNode,
) {
  return (
    <div className="field" style={style}>
      <label htmlFor={id}>{label}</label>
      {control({ id, value, onChange: (e) => onChange(e.target.value) }, rest)}
    </div>
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
