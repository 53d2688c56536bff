import { useEffect, useRef } from 'react';
import { OutpostError } from '../../shared/errors';

/** Opens a <dialog> as a modal on mount (Escape and the backdrop close it natively) and closes it on unmount. */
export function useModalDialog() {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return { ref, close: () => ref.current?.close() };
}

/** A schema problem as a person reads it next to the form: without the internal field key. */
export function withoutFieldKey(detail: string): string {
  return detail.replace(/^[a-zA-Z.]+: /, '');
}

/** The lines to show for a failed call: the per-field details when there are any, else the message. */
export function errorLines(error: unknown): string[] {
  return error instanceof OutpostError && error.details?.length ? error.details.map(withoutFieldKey) : [(error as Error).message];
}

/** A form's list of problems, announced to screen readers. */
export function FormErrors({ title, errors }: { title: string; errors: string[] }) {
  if (!errors.length) return null;
  return (
    <div role="alert" className="error">
      <p>{title}</p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
    </div>
  );
}
