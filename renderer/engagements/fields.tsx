import { useId, useState } from 'react';
import { useTypedDraft } from '../app/use-typed-draft';

/** Returns an error message when the change was refused, or null when it was applied. */
export type ApplyChange<T> = (value: T) => string | null;

interface TextFieldProps {
  label: string;
  value: string;
  apply: ApplyChange<string>;
  multiline?: boolean;
  maxLength?: number;
  type?: 'text' | 'date';
  hint?: string;
}

/**
 * An input bound to a document field. Each keystroke is applied to the replica at once (so it is
 * saved at once); a value the schema refuses stays in the input as a draft with its error shown,
 * and is not written.
 */
export function TextField({ label, value, apply, multiline, maxLength, type = 'text', hint }: TextFieldProps) {
  const [error, setError] = useState<string | null>(null);
  // A refused value stays shown with its error (useTypedDraft keeps what was typed otherwise).
  const draft = useTypedDraft(value, error !== null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();
  const onChange = (next: string) => {
    const refused = apply(next);
    draft.typed(next);
    setError(refused);
  };
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id: inputId,
    value: draft.shown,
    onBlur: () => {
      if (!error) draft.left();
    },
    maxLength,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
  };
  return (
    <div className={multiline ? 'field wide' : 'field'}>
      <label htmlFor={inputId}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={6} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input {...common} type={type} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      )}
      {hint && (
        <small id={hintId} className="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error">
          {error}
        </small>
      )}
    </div>
  );
}

interface SelectFieldProps<T extends string> {
  label: string;
  value: T;
  options: ReadonlyArray<{ value: T; label: string }>;
  apply: ApplyChange<T>;
}

export function SelectField<T extends string>({ label, value, options, apply }: SelectFieldProps<T>) {
  const [error, setError] = useState<string | null>(null);
  return (
    <label className="field">
      <span>{label}</span>
      <select
        aria-label={label}
        value={value}
        onChange={(e) => setError(apply(e.target.value as T))}
        aria-invalid={error ? true : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {error && <small className="field-error">{error}</small>}
    </label>
  );
}
