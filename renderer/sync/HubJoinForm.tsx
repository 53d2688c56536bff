import { type FormEvent, useId, useState } from 'react';
import { uuidSchema } from '../../shared/ids';

/**
 * Joins an engagement this notebook does not have yet, by the id a teammate or the hub's admin
 * gives: its sync is turned on and its documents arrive from the hub (once this device is a member).
 */
export function HubJoinForm({ onJoin }: { onJoin(engagementId: string): Promise<boolean> }) {
  const id = useId();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const engagementId = value.trim().toLowerCase();
    // Checked here so a typo is explained in words, before anything is saved.
    if (!uuidSchema.safeParse(engagementId).success) {
      setProblem(
        'An engagement id has 36 characters, like 0f8e6f2c-1d3b-4c5a-9e7f-2a4b6c8d0e1f (`outpost engagements list --json` shows it).',
      );
      return;
    }
    setProblem(null);
    setBusy(true);
    const joined = await onJoin(engagementId);
    setBusy(false);
    if (joined) setValue('');
  };

  return (
    <form className="hub-join" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h4 id={`${id}-title`}>Join an engagement from the hub</h4>
      <p id={`${id}-hint`} className="small muted">
        Paste the engagement's id from a teammate. Its notes arrive once the hub's admin has added this device as a member.
      </p>
      <label htmlFor={`${id}-input`}>Engagement id</label>
      <div className="hub-connect-row">
        <input
          id={`${id}-input`}
          type="text"
          value={value}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-hint${problem ? ` ${id}-problem` : ''}`}
          aria-invalid={problem ? true : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setProblem(null);
          }}
        />
        <button type="submit" disabled={busy || !value.trim()}>
          Join
        </button>
      </div>
      {problem && (
        <p id={`${id}-problem`} role="alert" className="error">
          {problem}
        </p>
      )}
    </form>
  );
}
