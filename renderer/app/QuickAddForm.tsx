import { type FormEvent, useState } from 'react';

/**
 * A one-field form that adds something by its name or title ("New lesson", "New chapter", …).
 * `onAdd` returns the problem to show under the field, or null once the thing is added (the field
 * is then cleared); it may be asynchronous (a call to the main side).
 */
export function QuickAddForm({
  label,
  field,
  button,
  maxLength,
  placeholder,
  secondary = false,
  onAdd,
}: {
  /** The form's accessible name. */
  label: string;
  field: string;
  button: string;
  maxLength: number;
  placeholder?: string;
  secondary?: boolean;
  onAdd: (value: string) => string | null | Promise<string | null>;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = await onAdd(value);
    setError(problem);
    if (!problem) setValue('');
  };
  return (
    <form className="inline-form" aria-label={label} onSubmit={submit}>
      <label className="grow">
        <span>{field}</span>
        <input
          value={value}
          maxLength={maxLength}
          placeholder={placeholder}
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <button type="submit" className={secondary ? undefined : 'primary'} disabled={!value.trim()}>
        {button}
      </button>
      {error && (
        <p role="alert" className="field-error wide">
          {error}
        </p>
      )}
    </form>
  );
}
