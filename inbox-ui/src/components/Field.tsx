import type { InputHTMLAttributes, ReactNode } from 'react';

/** A labelled form control as `.field` lays it out: the label's text above the control. */
export function Field({
  label,
  grow,
  children,
}: {
  label: string;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={grow ? 'field field--grow' : 'field'}>
      <span>{label}</span>
      {children}
    </label>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>;

/** A text input in a Field; any input attribute (type, dir, required, …) passes through. */
export function TextField({
  label,
  grow,
  value,
  onValue,
  ...input
}: InputProps & {
  label: string;
  grow?: boolean;
  value: string;
  onValue: (value: string) => void;
}) {
  return (
    <Field label={label} grow={grow}>
      <input {...input} value={value} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}

export interface Option<T extends string> {
  value: T;
  label: string;
}

/** A select in a Field over a fixed list of options. */
export function SelectField<T extends string>({
  label,
  value,
  options,
  onValue,
}: {
  label: string;
  value: T;
  options: readonly Option<T>[];
  onValue: (value: T) => void;
}) {
  return (
    <Field label={label}>
      {/* The browser only offers the options rendered here, so the value is always a T. */}
      <select value={value} onChange={(e) => onValue(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
