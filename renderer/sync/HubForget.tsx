import { useState } from 'react';
import { useOutpost } from '../app/outpost-context';

/** "Forget hub", asked twice: every engagement stops syncing and the notebook goes back to no network. */
export function HubForget({ onDone }: { onDone(): void }) {
  const { api } = useOutpost();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const forget = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.call('hub.disconnect', {});
      setAsking(false);
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="hub-forget">
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {asking ? (
        <fieldset className="hub-forget-confirm">
          <legend className="visually-hidden">Forget the team hub</legend>
          <span>Stop syncing every engagement and forget this hub? Nothing in this notebook is removed.</span>
          {/* biome-ignore lint/a11y/noAutofocus: the confirmation just appeared where focus was; keyboard users answer it at once. */}
          <button type="button" autoFocus onClick={() => setAsking(false)}>
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void forget()}>
            Forget hub
          </button>
        </fieldset>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Forget hub…
        </button>
      )}
    </div>
  );
}
